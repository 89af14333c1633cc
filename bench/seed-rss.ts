// Seed memory time-lapse: Seedling seeds one file of BENCH_SEED_MIB (64) MiB found through opentracker
// on 127.0.0.1 while aria2c downloads it again and again (a fresh folder each time) for BENCH_SEED_S
// (180) seconds; the engine process's RSS is sampled every 2 s. The slope of a least-squares line over
// the samples after the first quarter (start-up and first allocations settle) tells whether memory
// grows while seeding: a long seed at this rate would add slope × minutes.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { startAria2Download } from '../test/interop/harness/aria2'
import { makeTorrent, removeDir } from '../test/interop/harness/files'
import { startOpentracker } from '../test/interop/harness/opentracker'
import { getFreePort } from '../test/interop/harness/ports'
import { writeSeededFile } from '../test/support/test-data'
import { EngineDriver } from './engine-client'
import { round } from './measure'
import { sampleProc } from './procstat'

export interface SeedRssResult {
  sizeMiB: number
  durationS: number
  downloads: number
  /** aria2c runs that stopped before completing (its --bt-stop-timeout of 30 s without progress). */
  failedDownloads: number
  uploadedMiB: number
  samples: Array<{ s: number; rssMiB: number }>
  firstRssMiB: number
  lastRssMiB: number
  maxRssMiB: number
  /** Least-squares slope of RSS after the first quarter, MiB per minute. */
  slopeMiBPerMin: number
}

export interface SeedRssConfig {
  sizeMiB: number
  durationS: number
  workDir: string
  log: (line: string) => void
}

const SAMPLE_MS = 2000
const MAX_DOWNLOADS = 1000

export function slope(points: Array<{ s: number; rssMiB: number }>): number {
  const n = points.length
  if (n < 2) return 0
  const mx = points.reduce((a, p) => a + p.s, 0) / n
  const my = points.reduce((a, p) => a + p.rssMiB, 0) / n
  const sxy = points.reduce((a, p) => a + (p.s - mx) * (p.rssMiB - my), 0)
  const sxx = points.reduce((a, p) => a + (p.s - mx) ** 2, 0)
  return sxx === 0 ? 0 : sxy / sxx
}

export async function runSeedRssBench(cfg: SeedRssConfig): Promise<SeedRssResult> {
  const dataDir = join(cfg.workDir, 'data')
  const file = join(dataDir, 'seed.bin')
  await writeSeededFile(file, cfg.sizeMiB * 2 ** 20, 'bench-seed', 'seed.bin')
  const tracker = await startOpentracker()
  const driver = await EngineDriver.start()
  // BENCH_SEED_ARIA2_LOG=DIR keeps aria2c's info log of each download that did not complete.
  const logDir = process.env.BENCH_SEED_ARIA2_LOG
  if (logDir) await mkdir(logDir, { recursive: true })
  const samples: SeedRssResult['samples'] = []
  let downloads = 0
  let failed = 0
  try {
    const torrentFile = join(cfg.workDir, 'seed.torrent')
    const meta = await makeTorrent({
      target: file,
      out: torrentFile,
      announce: [tracker.announceUrl],
      pieceLengthExp: 18,
    })
    await tracker.allow([meta.infoHash])
    const stateDir = join(cfg.workDir, 'state')
    await driver.send({ cmd: 'open', stateDir, downloadDir: dataDir, port: await getFreePort() })
    await driver.send({ cmd: 'add', torrentFiles: [torrentFile], downloadDir: dataDir })
    await driver.send({ cmd: 'waitSeeding', timeoutMs: 120_000 })
    await tracker.waitForSeeders(meta.infoHash, 1, 60_000)
    const t0 = performance.now()
    const elapsedS = (): number => (performance.now() - t0) / 1000
    const sampler = setInterval(() => {
      sampleProc(driver.pid).then(
        (p) => samples.push({ s: round(elapsedS(), 1), rssMiB: p.rssMiB }),
        () => undefined,
      )
    }, SAMPLE_MS)
    try {
      while (elapsedS() < cfg.durationS && downloads + failed < MAX_DOWNLOADS) {
        const dir = join(cfg.workDir, `leech-${downloads + failed}`)
        await mkdir(dir, { recursive: true })
        const logFile = logDir && join(logDir, `aria2c-${downloads + failed}.log`)
        const a = await startAria2Download({ torrentFile, dir, stallTimeoutS: 30, logFile })
        const exit = await a.proc.waitExit(120_000)
        await a.stop()
        await removeDir(dir)
        // A stalled leecher is counted and reported, not fatal: this section measures memory.
        if (exit.code === 0) downloads++
        else failed++
        if (logFile && exit.code === 0) await removeDir(logFile)
      }
    } finally {
      clearInterval(sampler)
    }
    const uploaded = (await driver.send({ cmd: 'uploaded' })) as number
    const durationS = round(elapsedS(), 0)
    const rss = samples.map((p) => p.rssMiB)
    const settled = samples.filter((p) => p.s >= durationS / 4)
    const result: SeedRssResult = {
      sizeMiB: cfg.sizeMiB,
      durationS,
      downloads,
      failedDownloads: failed,
      uploadedMiB: round(uploaded / 2 ** 20, 0),
      samples,
      firstRssMiB: rss[0] ?? 0,
      lastRssMiB: rss.at(-1) ?? 0,
      maxRssMiB: Math.max(0, ...rss),
      slopeMiBPerMin: round(slope(settled) * 60, 2),
    }
    cfg.log(
      `seed: ${downloads} downloads (${failed} stalled) in ${durationS} s, RSS ${result.firstRssMiB} -> ` +
        `${result.lastRssMiB} MiB (max ${result.maxRssMiB}), slope ${result.slopeMiBPerMin} MiB/min`,
    )
    return result
  } finally {
    await driver.close()
    await tracker.stop()
  }
}
