// Summarises a sampling heap profile (.heapprofile: bench/engine-driver.ts's `allocations` command, or
// DevTools) by function: bytes allocated there (self) and under it (total), so the code that makes the
// most garbage shows even when none of it stays alive.
//
//   node bench/alloc-summary.mjs FILE.heapprofile [--top=30]
import { readFileSync } from 'node:fs'

const args = process.argv.slice(2)
const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 30)
const file = args.find((a) => !a.startsWith('--'))
if (!file) {
  console.error('usage: node bench/alloc-summary.mjs FILE.heapprofile [--top=N]')
  process.exit(2)
}
const { head } = JSON.parse(readFileSync(file, 'utf8'))

const where = (f) => {
  const url = f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '')
  return `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`
}

const self = new Map()
const total = new Map()
let all = 0
/** Walks the tree once; a function counted once per path even when it recurses. */
function walk(node, onPath) {
  const key = where(node.callFrame)
  const own = node.selfSize
  all += own
  self.set(key, (self.get(key) ?? 0) + own)
  const path = new Set(onPath).add(key)
  let sum = own
  for (const child of node.children) sum += walk(child, path)
  if (!onPath.has(key)) total.set(key, (total.get(key) ?? 0) + sum)
  return sum
}
walk(head, new Set())

const show = (title, map) => {
  console.log(`\n${title}\n     KiB      %  function`)
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${(v / 1024).toFixed(0).padStart(8)}  ${((v / all) * 100).toFixed(1).padStart(5)}  ${k}`,
    )
  }
}
console.log(`sampled allocations: ${(all / 2 ** 20).toFixed(1)} MiB`)
show('self', self)
show('total (self and callees)', total)
