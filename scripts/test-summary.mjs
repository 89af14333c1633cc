// Adds up vitest JSON reports into the one closing line CI reads: "N passed, N failed, N skipped".
import { readFileSync } from 'node:fs'

let passed = 0
let failed = 0
let skipped = 0
for (const file of process.argv.slice(2)) {
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
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
