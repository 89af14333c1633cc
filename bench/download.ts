// Download benchmark: qbittorrent-nox seeds one file on 127.0.0.1 (found through opentracker on
// 127.0.0.1); Seedling (`cli download`), aria2c and a second qbittorrent-nox (bench/qbt-leech.ts)
// each download it into a fresh folder, in rotating order, every run checked byte-exact afterwards
// (outside the timing).
import { mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { startAria2Download } from '../test/interop/harness/aria2'
import { makeTorrent, removeDir, sha256File } from '../test/interop/harness/files'
import { writeSeededFile } from '../test/support/test-data'
import { startOpentracker } from '../test/interop/harness/opentracker'
import type { OpenTracker } from '../test/interop/harness/opentracker'
import { startQbittorrent } from '../test/interop/harness/qbittorrent'
import type { Qbittorrent } from '../test/interop/harness/qbittorrent'
import { seedlingCliAvailable, startSeedlingDownload } from '../test/interop/harness/seedling-cli'
import type { TrackedProcess } from '../test/interop/harness/proc'
import { median, medianUsage, readTimeFile, round, timeWrapper } from './measure'
import { qbtDownloadRun } from './qbt-leech'
import type { Usage } from './measure'

export interface DownloadRun extends Usage {
  /** End to end: size / wall time (spawn → exit). */
  mibPerS: number
  /** size / (exit − first data block on disk): the transfer phase without start-up and announce. */
  transferMiBPerS: number | null
  /** Spawn → first data block on disk, ms. */
  firstByteMs: number | null
}

export interface ClientResult {
  client: string
  available: boolean
  note?: string
  runs: DownloadRun[]
  median?: DownloadRun
}

export interface DownloadBenchResult {
  sizeMiB: number
  pieceLength: number
  seeder: string
  clients: ClientResult[]
}

export interface DownloadBenchConfig {
  sizeMiB: number
  pieceExp: number
  runs: number
  workDir: string
  timeoutMs: number
  log: (line: string) => void
}

async function timedRun(
  name: string,
  workDir: string,
  target: string,
  sizeBytes: number,
  timeoutMs: number,
  start: (wrapper: string[] | undefined) => Promise<TrackedProcess>,
): Promise<DownloadRun> {
  const timeFile = join(workDir, `${name}.time`)
  const t0 = process.hrtime.bigint()
  const since = (): number => Number(process.hrtime.bigint() - t0) / 1e6
  // Client-neutral "first byte": the first time the target file has a data block on disk (both
  // clients write pieces straight into it; aria2c runs with --file-allocation=none).
  let firstByteMs: number | null = null
  const poll = setInterval(() => {
    if (firstByteMs !== null) return
    stat(target).then(
      (st) => {
        if (firstByteMs === null && st.blocks > 0) firstByteMs = since()
      },
      () => undefined,
    )
  }, 20)
  const proc = await start(timeWrapper(timeFile))
  try {
    const exit = await proc.waitExit(timeoutMs)
    if (exit.code !== 0) throw new Error(`${name} failed\n${proc.describe(40)}`)
  } finally {
    clearInterval(poll)
    await proc.stop()
  }
  const wallMs = since()
  const usage = await readTimeFile(timeFile, round(wallMs, 0))
  const mib = sizeBytes / (1024 * 1024)
  const fb = firstByteMs as number | null
  return {
    ...usage,
    mibPerS: round(mib / (wallMs / 1000), 1),
    firstByteMs: fb === null ? null : round(fb, 0),
    transferMiBPerS: fb === null || wallMs <= fb ? null : round(mib / ((wallMs - fb) / 1000), 1),
  }
}

export async function runDownloadBench(cfg: DownloadBenchConfig): Promise<DownloadBenchResult> {
  const { log } = cfg
  const sizeBytes = cfg.sizeMiB * 1024 * 1024
  const srcDir = join(cfg.workDir, 'seed')
  const file = join(srcDir, 'bench.bin')
  log(`download: writing ${cfg.sizeMiB} MiB of test data`)
  await writeSeededFile(file, sizeBytes, 'bench-download', 'bench.bin')
  const expectedHash = await sha256File(file)

  let tracker: OpenTracker | undefined
  let qbt: Qbittorrent | undefined
  const seedling: ClientResult = { client: 'Seedling (cli download)', available: true, runs: [] }
  const aria2: ClientResult = { client: 'aria2c 1.36', available: true, runs: [] }
  const qbtLeech: ClientResult = {
    client: 'qbittorrent-nox 4.5.2',
    available: true,
    note: 'measured from add to complete, not spawn to exit (a daemon)',
    runs: [],
  }
  if (!seedlingCliAvailable()) {
    seedling.available = false
    seedling.note = 'not available (no src/main/cli/index.ts, or SEEDLING_CLI=none)'
  }
  try {
    tracker = await startOpentracker()
    const torrentFile = join(cfg.workDir, 'bench.torrent')
    const meta = await makeTorrent({
      target: file,
      out: torrentFile,
      announce: [tracker.announceUrl],
      pieceLengthExp: cfg.pieceExp,
    })
    await tracker.allow([meta.infoHash])
    qbt = await startQbittorrent()
    // A full hash check (also warms the page cache, so every run reads from memory alike).
    await qbt.addTorrent(torrentFile, { savePath: srcDir, skipChecking: false })
    await qbt.waitSeeding(meta.infoHash, 300_000)
    await tracker.waitForSeeders(meta.infoHash, 1, 60_000)
    log(`download: qbittorrent-nox seeding ${meta.infoHash} on 127.0.0.1:${qbt.port}`)

    const verify = async (path: string, who: string): Promise<void> => {
      const h = await sha256File(path)
      if (h !== expectedHash) throw new Error(`${who}: downloaded file differs from the source`)
    }

    for (let i = 0; i < cfg.runs; i++) {
      // Rotate who goes first, so none always gets the warmer system.
      const clients = ['aria2', 'seedling', 'qbt']
      const order = [...clients.slice(i % 3), ...clients.slice(0, i % 3)]
      for (const who of order) {
        const dir = join(cfg.workDir, `dl-${who}-${i}`)
        await mkdir(dir, { recursive: true })
        if (who === 'qbt') {
          const seeder = `127.0.0.1:${qbt.port}`
          const r = await qbtDownloadRun(
            torrentFile,
            meta.infoHash,
            seeder,
            dir,
            sizeBytes,
            cfg.timeoutMs,
          )
          await verify(join(dir, 'bench.bin'), 'qbittorrent-nox')
          qbtLeech.runs.push(r)
          log(`download: run ${i + 1} qbittorrent-nox ${r.mibPerS} MiB/s, cpu ${r.cpuS} s`)
        } else if (who === 'aria2') {
          const r = await timedRun(
            `aria2-${i}`,
            cfg.workDir,
            join(dir, 'bench.bin'),
            sizeBytes,
            cfg.timeoutMs,
            async (w) => {
              const a = await startAria2Download({
                torrentFile,
                dir,
                wrapper: w,
                stallTimeoutS: 60,
              })
              return a.proc
            },
          )
          await verify(join(dir, 'bench.bin'), 'aria2c')
          aria2.runs.push(r)
          log(
            `download: run ${i + 1} aria2c ${r.mibPerS} MiB/s (transfer ${r.transferMiBPerS ?? 'n/a'}), cpu ${r.cpuS ?? 'n/a'} s`,
          )
        } else if (seedling.available) {
          const r = await timedRun(
            `seedling-${i}`,
            cfg.workDir,
            join(dir, 'bench.bin'),
            sizeBytes,
            cfg.timeoutMs,
            async (w) => {
              // BENCH_SEEDLING_NODE_OPTIONS (e.g. --cpu-prof --cpu-prof-dir=DIR) reaches only the CLI:
              // the other clients are not node programs.
              const profile = process.env.BENCH_SEEDLING_NODE_OPTIONS
              if (profile) process.env.NODE_OPTIONS = profile
              const run = await startSeedlingDownload({
                source: torrentFile,
                dir,
                wrapper: w,
                stateDir: join(cfg.workDir, `state-${i}`),
              }).finally(() => {
                if (profile) delete process.env.NODE_OPTIONS
              })
              return run.proc
            },
          )
          await verify(join(dir, 'bench.bin'), 'Seedling')
          seedling.runs.push(r)
          log(
            `download: run ${i + 1} Seedling ${r.mibPerS} MiB/s (transfer ${r.transferMiBPerS ?? 'n/a'}), cpu ${r.cpuS ?? 'n/a'} s`,
          )
        }
        await removeDir(dir)
      }
    }
  } finally {
    await qbt?.stop()
    await tracker?.stop()
  }
  for (const c of [seedling, aria2, qbtLeech]) {
    if (c.runs.length) {
      const m = medianUsage(c.runs)
      const fb = c.runs.map((r) => r.firstByteMs)
      const tr = c.runs.map((r) => r.transferMiBPerS)
      c.median = {
        ...m,
        mibPerS: round(sizeBytes / (1024 * 1024) / (m.wallMs / 1000), 1),
        firstByteMs: fb.includes(null) ? null : median(fb as number[]),
        transferMiBPerS: tr.includes(null) ? null : median(tr as number[]),
      }
    }
  }
  return {
    sizeMiB: cfg.sizeMiB,
    pieceLength: 2 ** cfg.pieceExp,
    seeder: 'qbittorrent-nox 4.5.2',
    clients: [seedling, aria2, qbtLeech],
  }
}
