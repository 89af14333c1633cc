// Summarises V8 heap snapshots (.heapsnapshot, from v8.writeHeapSnapshot or bench/memory-scale.ts with
// BENCH_HEAP_SNAPSHOTS=1) by constructor: objects and self size, and with two snapshots the growth from
// the first to the second, largest first, so the objects each added torrent brings show up together.
//
//   node bench/heap-summary.mjs AFTER.heapsnapshot [BEFORE.heapsnapshot] [--top=40]
import { readFileSync } from 'node:fs'

/** Per node type and name ("Torrent", "(closure) onWire", "system / Map"...), count and self bytes. */
function summarise(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'))
  const meta = snap.snapshot.meta
  const fields = meta.node_fields
  const width = fields.length
  const typeAt = fields.indexOf('type')
  const nameAt = fields.indexOf('name')
  const sizeAt = fields.indexOf('self_size')
  const types = meta.node_types[typeAt]
  const byName = new Map()
  const nodes = snap.nodes
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]]
    const raw = snap.strings[nodes[i + nameAt]]
    // Strings and numbers are grouped by type: their names are their contents.
    const name =
      type === 'object' || type === 'native' || type === 'closure' || type === 'hidden'
        ? `${type === 'object' ? '' : `(${type}) `}${raw.slice(0, 60)}`
        : `(${type})`
    const e = byName.get(name) ?? { count: 0, bytes: 0 }
    e.count++
    e.bytes += nodes[i + sizeAt]
    byName.set(name, e)
  }
  return byName
}

const args = process.argv.slice(2)
const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 40)
const [after, before] = args.filter((a) => !a.startsWith('--'))
if (!after) {
  console.error(
    'usage: node bench/heap-summary.mjs AFTER.heapsnapshot [BEFORE.heapsnapshot] [--top=N]',
  )
  process.exit(2)
}
const a = summarise(after)
const b = before ? summarise(before) : new Map()
const rows = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))].map((name) => {
  const x = a.get(name) ?? { count: 0, bytes: 0 }
  const y = b.get(name) ?? { count: 0, bytes: 0 }
  return { name, count: x.count - y.count, bytes: x.bytes - y.bytes }
})
rows.sort((p, q) => q.bytes - p.bytes)
const total = rows.reduce((s, r) => s + r.bytes, 0)
console.log(`${before ? 'growth' : 'total'}: ${(total / 2 ** 20).toFixed(2)} MiB self size`)
console.log('     KiB   objects  constructor')
for (const r of rows.slice(0, top)) {
  console.log(
    `${(r.bytes / 1024).toFixed(0).padStart(8)}  ${String(r.count).padStart(8)}  ${r.name}`,
  )
}
