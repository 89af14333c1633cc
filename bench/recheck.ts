// Recheck benchmark: one file of BENCH_RECHECK_MIB (1024) MiB, already complete on disk (page cache
// warm after the first check), verified again by Seedling's recheck command (commands.ts: resume data
// dropped, every piece read and hashed) and by transmission-daemon's torrent-verify, taking turns.
// Time: command sent until the torrent is seeding again. CPU: the process's user+sys seconds over that
// span, from /proc; peak RSS: the process's VmHWM afterwards.
import { join } from 'node:path'
import { makeTorrent } from '../test/interop/harness/files'
import { getFreePort } from '../test/interop/harness/ports'
import { writeSeededFile } from '../test/support/test-data'
import { EngineDriver } from './engine-client'
import { median, round } from './measure'
import { sampleProc } from './procstat'
import { BenchTransmission } from './transmission-daemon'
import { readFile } from 'node:fs/promises'

export interface RecheckRun {
  ms: number
  mibPerS: number
  cpuS: number
}

export interface RecheckClient {
  client: string
  runs: RecheckRun[]
  median: RecheckRun | null
  peakRssMiB: number | null
}

export interface RecheckBenchResult {
  sizeMiB: number
  pieceLength: number
  clients: RecheckClient[]
}

export interface RecheckBenchConfig {
  sizeMiB: number
  pieceExp: number
  runs: number
  workDir: string
  timeoutMs: number
  log: (line: string) => void
}

function medianRun(runs: RecheckRun[]): RecheckRun | null {
  if (runs.length === 0) return null
  return {
    ms: median(runs.map((r) => r.ms)),
    mibPerS: round(median(runs.map((r) => r.mibPerS)), 1),
    cpuS: median(runs.map((r) => r.cpuS)),
  }
}

async function timed(pid: number, sizeMiB: number, fn: () => Promise<number>): Promise<RecheckRun> {
  const before = await sampleProc(pid)
  const ms = Math.round(await fn())
  const after = await sampleProc(pid)
  return { ms, mibPerS: round(sizeMiB / (ms / 1000), 1), cpuS: round(after.cpuS - before.cpuS, 2) }
}

export async function runRecheckBench(cfg: RecheckBenchConfig): Promise<RecheckBenchResult> {
  const dataDir = join(cfg.workDir, 'data')
  const name = 'recheck.bin'
  cfg.log(`recheck: writing ${cfg.sizeMiB} MiB of test data`)
  await writeSeededFile(join(dataDir, name), cfg.sizeMiB * 2 ** 20, 'bench-recheck', name)
  const torrentFile = join(cfg.workDir, 'recheck.torrent')
  const meta = await makeTorrent({
    target: join(dataDir, name),
    out: torrentFile,
    announce: ['http://127.0.0.1:9/announce'],
    pieceLengthExp: cfg.pieceExp,
  })
  const seedling: RecheckClient = {
    client: 'Seedling (recheck)',
    runs: [],
    median: null,
    peakRssMiB: null,
  }
  const tr: RecheckClient = {
    client: 'transmission-daemon (verify)',
    runs: [],
    median: null,
    peakRssMiB: null,
  }
  const driver = await EngineDriver.start()
  let daemon: BenchTransmission | undefined
  try {
    await driver.send({
      cmd: 'open',
      stateDir: join(cfg.workDir, 'seedling-state'),
      downloadDir: dataDir,
      port: await getFreePort(),
    })
    await driver.send({ cmd: 'add', torrentFiles: [torrentFile], downloadDir: dataDir })
    await driver.send({ cmd: 'waitSeeding', timeoutMs: cfg.timeoutMs })
    daemon = await BenchTransmission.start(join(cfg.workDir, 'transmission'), true)
    await daemon.add(await readFile(torrentFile), dataDir)
    await daemon.waitSeeding(1, cfg.timeoutMs)
    for (let i = 0; i < cfg.runs; i++) {
      const order = i % 2 === 0 ? [seedling, tr] : [tr, seedling]
      for (const c of order) {
        const d = daemon
        const r =
          c === seedling
            ? await timed(driver.pid, cfg.sizeMiB, () =>
                driver.ms({ cmd: 'recheck', infoHash: meta.infoHash, timeoutMs: cfg.timeoutMs }),
              )
            : await timed(d.pid, cfg.sizeMiB, () => d.verify(meta.infoHash, cfg.timeoutMs))
        c.runs.push(r)
        cfg.log(`recheck: run ${i + 1} ${c.client} ${r.ms} ms, ${r.mibPerS} MiB/s, cpu ${r.cpuS} s`)
      }
    }
    seedling.peakRssMiB = (await sampleProc(driver.pid)).peakRssMiB
    tr.peakRssMiB = (await sampleProc(daemon.pid)).peakRssMiB
  } finally {
    await driver.close()
    await daemon?.stop()
  }
  for (const c of [seedling, tr]) c.median = medianRun(c.runs)
  return { sizeMiB: cfg.sizeMiB, pieceLength: meta.pieceLength, clients: [seedling, tr] }
}
