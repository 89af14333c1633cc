// A/B of Seedling CLI variants on the download section's setup: one qbittorrent-nox seeder on
// 127.0.0.1 (opentracker, same data and piece length), and the variants run in turn, AB_RUNS times
// each, the order reversed every other round. Interleaving matters on a shared machine: a change of
// 5-10% in CPU is within the drift between two separate `npm run bench` runs.
//
//   AB_VARIANTS='flags=node out/cli/index.mjs;noflags=env SEEDLING_ENGINE_FLAGS=1 node out/cli/index.mjs' \
//     npx tsx bench/ab-download.ts
//
// Each variant is a SEEDLING_CLI command line (test/interop/harness/seedling-cli.ts). AB_RUNS (5),
// AB_MIB (256). Prints every run and the medians: CPU (user+sys of the tree) and peak RSS from GNU
// time, wall from spawn to exit. Needs qbittorrent-nox, opentracker, mktorrent and /usr/bin/time. It
// re-runs itself inside `unshare -n` where permitted (netns.ts), as run.ts does.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeTorrent, removeDir, sha256File } from '../test/interop/harness/files'
import { startOpentracker } from '../test/interop/harness/opentracker'
import { startQbittorrent } from '../test/interop/harness/qbittorrent'
import { startSeedlingDownload } from '../test/interop/harness/seedling-cli'
import { writeSeededFile } from '../test/support/test-data'
import { gnuTimeAvailable, median, readTimeFile, timeWrapper } from './measure'
import { reexecInPrivateNetwork } from './netns'

const log = (line: string): void => console.error(`[ab] ${line}`)

function envInt(name: string, def: number, min: number, max: number): number {
  const n = Number(process.env[name] ?? def)
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name}: ${min} to ${max}`)
  return n
}

function variants(): Array<{ name: string; cmd: string }> {
  const list = (process.env.AB_VARIANTS ?? '')
    .split(';')
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => ({ name: v.slice(0, v.indexOf('=')), cmd: v.slice(v.indexOf('=') + 1).trim() }))
  if (list.length < 1 || list.length > 8 || list.some((v) => !v.name || !v.cmd)) {
    throw new Error('AB_VARIANTS: 1 to 8 entries "name=command line", separated by ";"')
  }
  return list
}

async function main(): Promise<void> {
  if (!gnuTimeAvailable()) throw new Error('needs /usr/bin/time (Debian package time)')
  const list = variants()
  const runs = envInt('AB_RUNS', 5, 1, 20)
  const sizeMiB = envInt('AB_MIB', 256, 1, 4096)
  const work = await mkdtemp(join(process.env.BENCH_TMP ?? tmpdir(), 'seedling-ab-'))
  const file = join(work, 'seed', 'bench.bin')
  await writeSeededFile(file, sizeMiB * 1024 * 1024, 'bench-download', 'bench.bin')
  const expected = await sha256File(file)
  const tracker = await startOpentracker()
  const qbt = await startQbittorrent()
  const results = new Map(
    list.map((v) => [v.name, { cpu: [] as number[], rss: [] as number[], wall: [] as number[] }]),
  )
  try {
    const torrentFile = join(work, 'bench.torrent')
    const meta = await makeTorrent({
      target: file,
      out: torrentFile,
      announce: [tracker.announceUrl],
      pieceLengthExp: 18,
    })
    await tracker.allow([meta.infoHash])
    await qbt.addTorrent(torrentFile, { savePath: join(work, 'seed'), skipChecking: false })
    await qbt.waitSeeding(meta.infoHash, 300_000)
    await tracker.waitForSeeders(meta.infoHash, 1, 60_000)
    for (let i = 0; i < runs; i++) {
      for (const v of i % 2 ? [...list].reverse() : list) {
        process.env.SEEDLING_CLI = v.cmd
        const dir = join(work, `dl-${v.name}-${i}`)
        const timeFile = join(work, `${v.name}-${i}.time`)
        const t0 = Date.now()
        const run = await startSeedlingDownload({
          source: torrentFile,
          dir,
          wrapper: timeWrapper(timeFile),
          stateDir: join(work, `state-${v.name}-${i}`),
        })
        const exit = await run.proc.waitExit(300_000).finally(() => run.proc.stop())
        if (exit.code !== 0) throw new Error(`${v.name} failed\n${run.proc.describe(40)}`)
        const u = await readTimeFile(timeFile, Date.now() - t0)
        if ((await sha256File(join(dir, 'bench.bin'))) !== expected) {
          throw new Error(`${v.name}: downloaded file differs from the source`)
        }
        await removeDir(dir)
        const r = results.get(v.name)!
        r.cpu.push(u.cpuS ?? NaN)
        r.rss.push(u.peakRssMiB ?? NaN)
        r.wall.push(u.wallMs / 1000)
        log(
          `${v.name} run ${i + 1}: cpu ${u.cpuS} s, peak RSS ${u.peakRssMiB} MiB, wall ${(u.wallMs / 1000).toFixed(2)} s`,
        )
      }
    }
  } finally {
    await qbt.stop()
    await tracker.stop()
    await removeDir(work)
  }
  console.log(`download ${sizeMiB} MiB from qbittorrent-nox, ${runs} interleaved runs, medians`)
  for (const [name, r] of results) {
    console.log(
      `${name}: CPU ${median(r.cpu).toFixed(2)} s [${r.cpu.join(' ')}], peak RSS ${median(r.rss).toFixed(1)} MiB [${r.rss.join(' ')}], wall ${median(r.wall).toFixed(2)} s`,
    )
  }
}

const code = reexecInPrivateNetwork(log)
if (code !== null) process.exit(code)
await main()
