// Where the engine's memory goes as torrents are added: one engine process (engine-driver.ts, run with
// --expose-gc so each reading follows a full collection) is read idle with no torrents, then with a
// tenth of N and with N small seeding torrents (the scale bench's data). Per step: RSS from /proc and
// V8's heap used, external and array buffers from process.memoryUsage(); with BENCH_HEAP_SNAPSHOTS=1
// also a heap snapshot per step for bench/heap-summary.mjs. The slope between the two torrent counts is
// the per-torrent cost, the idle reading the fixed cost. Last, the session is restored by a new engine
// process, as the scale bench's restart does (the RSS it reports); BENCH_ALLOC_PROFILE=1 samples every
// allocation over that restore, garbage included, for bench/alloc-summary.mjs.
//
//   unshare -n bash -c 'ip link set lo up && npx tsx bench/memory-scale.ts'
//
// BENCH_SCALE_TORRENTS (500), BENCH_ENGINE_NODE_ARGS (extra V8 flags for the engine, e.g.
// "--max-semi-space-size=1"), BENCH_TMP (parent of the work folder; removed at the end unless
// snapshots were written).
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { removeDir } from '../test/interop/harness/files'
import { getFreePort } from '../test/interop/harness/ports'
import { EngineDriver } from './engine-client'
import type { MemoryReply } from './engine-memory'
import { sampleProc } from './procstat'
import { makeTorrents } from './scale'

const MiB = 2 ** 20
const SETTLE_MS = 3000
const TIMEOUT_MS = 300_000

interface Step {
  torrents: number
  /** The session restored by a new engine process rather than added to a running one. */
  restarted?: boolean
  rssMiB: number
  peakRssMiB: number
  heapUsedMiB: number
  heapTotalMiB: number
  externalMiB: number
  arrayBuffersMiB: number
  /** Resident anonymous memory (heaps, malloc, thread stacks) and file-backed (code, libraries). */
  anonMiB: number
  fileMiB: number
  threads: number
  /** V8 spaces whose reserved size is at least 1 MiB: reserved / used MiB. */
  spaces: Record<string, string>
  snapshot?: string
}

async function smaps(pid: number): Promise<{ anonMiB: number; fileMiB: number; threads: number }> {
  const [rollup, status] = await Promise.all([
    readFile(`/proc/${pid}/smaps_rollup`, 'utf8'),
    readFile(`/proc/${pid}/status`, 'utf8'),
  ])
  const kib = (text: string, key: string): number =>
    Number(text.match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'))?.[1] ?? 0)
  const anon = kib(rollup, 'Anonymous')
  return {
    anonMiB: Math.round((anon / 1024) * 10) / 10,
    fileMiB: Math.round(((kib(rollup, 'Rss') - anon) / 1024) * 10) / 10,
    threads: kib(status, 'Threads'),
  }
}

const mib = (n: number): number => Math.round((n / MiB) * 10) / 10

async function read(
  d: EngineDriver,
  torrents: number,
  dir: string,
  snap: boolean,
  restarted = false,
): Promise<Step> {
  await new Promise((r) => setTimeout(r, SETTLE_MS))
  const m = (await d.send({ cmd: 'memory' })) as MemoryReply
  if (!m.collected) throw new Error('the engine must run with --expose-gc')
  const { rssMiB, peakRssMiB } = await sampleProc(d.pid)
  const step: Step = {
    torrents,
    ...(restarted ? { restarted } : {}),
    rssMiB,
    peakRssMiB,
    heapUsedMiB: mib(m.heapUsed),
    heapTotalMiB: mib(m.heapTotal),
    externalMiB: mib(m.external),
    arrayBuffersMiB: mib(m.arrayBuffers),
    ...(await smaps(d.pid)),
    spaces: Object.fromEntries(
      Object.entries(m.spaces)
        .filter(([, v]) => v.size >= MiB)
        .map(([k, v]) => [k, `${mib(v.size)}/${mib(v.used)}`]),
    ),
  }
  if (snap) {
    const file = join(dir, `engine-${torrents}${restarted ? '-restarted' : ''}.heapsnapshot`)
    step.snapshot = (await d.send({ cmd: 'heapSnapshot', file })) as string
  }
  console.log(JSON.stringify(step))
  return step
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_SCALE_TORRENTS ?? 500)
  if (!Number.isInteger(n) || n < 10 || n > 5000) throw new Error('BENCH_SCALE_TORRENTS: 10-5000')
  const snap = process.env.BENCH_HEAP_SNAPSHOTS === '1'
  const profile = process.env.BENCH_ALLOC_PROFILE === '1'
  const workDir = await mkdtemp(join(process.env.BENCH_TMP ?? tmpdir(), 'seedling-mem-'))
  const dataDir = join(workDir, 'data')
  const { files } = await makeTorrents(
    { torrents: n, fileKiB: 64, windowMs: 0, workDir, timeoutMs: TIMEOUT_MS, log: console.error },
    dataDir,
  )
  process.env.BENCH_ENGINE_NODE_ARGS = `--expose-gc ${process.env.BENCH_ENGINE_NODE_ARGS ?? ''}`
  const stateDir = join(workDir, 'state')
  const open = async (d: EngineDriver): Promise<void> => {
    await d.send({ cmd: 'open', stateDir, downloadDir: dataDir, port: await getFreePort() })
  }
  let d = await EngineDriver.start()
  const steps: Step[] = []
  try {
    await open(d)
    steps.push(await read(d, 0, workDir, snap))
    const tenth = Math.floor(n / 10)
    for (const [from, to] of [
      [0, tenth],
      [tenth, n],
    ] as const) {
      await d.send({ cmd: 'add', torrentFiles: files.slice(from, to), downloadDir: dataDir })
      await d.send({ cmd: 'waitSeeding', timeoutMs: TIMEOUT_MS })
      steps.push(await read(d, to, workDir, snap))
    }
    // What the scale bench reports: the same session restored by a fresh process.
    await d.close()
    d = await EngineDriver.start()
    if (profile) await d.send({ cmd: 'allocations' })
    await open(d)
    await d.send({ cmd: 'waitSeeding', timeoutMs: TIMEOUT_MS })
    if (profile) await d.send({ cmd: 'allocations', file: join(workDir, 'restore.heapprofile') })
    await read(d, n, workDir, snap, true)
  } finally {
    await d.close()
    if (!snap && !profile) await removeDir(workDir)
  }
  const [, a, b] = steps as [Step, Step, Step]
  const per = (k: keyof Step): number =>
    Math.round((((b[k] as number) - (a[k] as number)) / (b.torrents - a.torrents)) * MiB) / 1024
  console.log(
    `per torrent (${a.torrents} -> ${b.torrents}): RSS ${per('rssMiB')} KiB, heap used ` +
      `${per('heapUsedMiB')} KiB, external ${per('externalMiB')} KiB` +
      (snap || profile ? `; snapshots and profiles in ${workDir}` : ''),
  )
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
