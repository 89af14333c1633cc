// Summarises a V8 .cpuprofile (`node --cpu-prof`) without a GUI: self time by function and by
// package, and inclusive time. Usage: node bench/profile-summary.mjs FILE.cpuprofile [topN]
import { readFileSync } from 'node:fs'

const file = process.argv[2]
const top = Number(process.argv[3] ?? 25)
const prof = JSON.parse(readFileSync(file, 'utf8'))
const byId = new Map(prof.nodes.map((n) => [n.id, n]))
const self = new Map()
const dt = prof.timeDeltas
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i]
  self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0))
}
const total = [...self.values()].reduce((a, b) => a + b, 0)
const where = (cf) => {
  const u = cf.url || ''
  const m = u.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/)
  if (m) return `${m[1]}/${m[2]}`
  if (u.startsWith('node:')) return u
  return u.replace(/^file:\/\/.*\/(out|src)\//, '$1/') || '(native)'
}
const pkg = (cf) => {
  const u = cf.url || ''
  const m = u.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)
  if (m) return m[1]
  if (u.startsWith('node:')) return 'node:*'
  if (!u) return '(native/vm)'
  return 'seedling'
}
const fn = new Map()
const pk = new Map()
for (const [id, us] of self) {
  const n = byId.get(id)
  const cf = n.callFrame
  const k = `${cf.functionName || '(anon)'}  ${where(cf)}:${cf.lineNumber + 1}`
  fn.set(k, (fn.get(k) ?? 0) + us)
  const p = pkg(cf)
  pk.set(p, (pk.get(p) ?? 0) + us)
}
const ms = (us) => (us / 1000).toFixed(0).padStart(6)
const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5)
console.log(`total sampled ${ms(total)} ms`)
console.log('\n-- self time by function --')
for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${ms(us)} ms ${pct(us)}%  ${k}`)
console.log('\n-- self time by package --')
for (const [k, us] of [...pk].sort((a, b) => b[1] - a[1]).slice(0, 20))
  console.log(`${ms(us)} ms ${pct(us)}%  ${k}`)
// inclusive time for selected functions (by name substring), via parent links
const parent = new Map()
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const incl = new Map()
for (const [id, us] of self) {
  const seen = new Set()
  let cur = id
  while (cur !== undefined) {
    const cf = byId.get(cur).callFrame
    const k = `${cf.functionName || '(anon)'}  ${where(cf)}:${cf.lineNumber + 1}`
    if (!seen.has(k)) {
      seen.add(k)
      incl.set(k, (incl.get(k) ?? 0) + us)
    }
    cur = parent.get(cur)
  }
}
console.log('\n-- inclusive time (top) --')
for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top + 15))
  console.log(`${ms(us)} ms ${pct(us)}%  ${k}`)
