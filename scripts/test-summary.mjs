// Adds up vitest JSON reports into the one closing line CI reads: "N passed, N failed, N skipped".
// Suites skipped for want of an external tool or a build step (test/support/external-tools.ts logs
// them to skips.jsonl beside the reports) are named just above it, with the command that fixes it.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

let passed = 0
let failed = 0
let skipped = 0
const reports = process.argv.slice(2)
for (const file of reports) {
  let report
  try {
    report = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    console.error(`test-summary: no usable report in ${file} (the run crashed?)`)
    failed++
    continue
  }
  passed += report.numPassedTests ?? 0
  // A file that fails to load has no failed tests, only a failed suite: count it so it cannot hide.
  failed += report.numFailedTests || report.numFailedTestSuites || 0
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
}

const skipLog = reports.length ? path.join(path.dirname(reports[0]), 'skips.jsonl') : ''
if (skipLog && existsSync(skipLog)) {
  const bySuite = new Map()
  for (const line of readFileSync(skipLog, 'utf8').split('\n')) {
    if (!line.trim()) continue
    const { suite, needs, apt, command } = JSON.parse(line)
    const entry = bySuite.get(suite) ?? { needs: new Set(), apt: new Set(), commands: new Set() }
    for (const n of needs) entry.needs.add(n)
    for (const p of apt ?? []) entry.apt.add(p)
    if (command) entry.commands.add(command)
    bySuite.set(suite, entry)
  }
  for (const [suite, { needs, apt, commands }] of bySuite) {
    const fixes = [...(apt.size ? [`apt-get install ${[...apt].join(' ')}`] : []), ...commands]
    console.log(`skipped: ${suite} needs ${[...needs].join(', ')}: ${fixes.join('; ')}`)
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
