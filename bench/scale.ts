// Scale benchmark: N small single-file torrents seeding in one Seedling session and in one
// transmission-daemon, same data, no trackers (nothing to announce to; loopback only anyway).
// Per client: the first start (add all, each fully checked), then a restart of the same session timed
// from spawn to every torrent seeding; RSS and open descriptors read from /proc; open descriptors
// also with a tenth of the torrents, to show they do not grow with the count (each read after a settle
// of the measuring window, longer than the engine's idle close of files). For Seedling also the
// 1 Hz tick's duration and the event-loop delay (p99) over a window of seeding at N torrents.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildTorrent, pieceHashes } from '../test/support/torrent-builder'
import { seededBytes } from '../test/support/test-data'
import { getFreePort } from '../test/interop/harness/ports'
import { EngineDriver } from './engine-client'
import type { MeasureReply } from './engine-driver'
import { sampleProc } from './procstat'
import type { ProcSample } from './procstat'
import { BenchTransmission } from './transmission-daemon'

export interface ScaleClient {
  client: string
  firstStartMs: number
  restartToSeedingMs: number
  fdsAtTenth: number
  atN: ProcSample
  afterRestart: ProcSample
}

export interface ScaleBenchResult {
  torrents: number
  fileKiB: number
  seedling: ScaleClient & { steady: MeasureReply }
  transmission: ScaleClient | null
  transmissionError?: string
}

export interface ScaleBenchConfig {
  torrents: number
  fileKiB: number
  windowMs: number
  workDir: string
  timeoutMs: number
  log: (line: string) => void
}

/** Seeding without requests for a while, as most of a large session is: the state fds are read in. */
function settle(cfg: ScaleBenchConfig): Promise<void> {
  return new Promise((r) => setTimeout(r, cfg.windowMs))
}

export async function makeTorrents(
  cfg: ScaleBenchConfig,
  dataDir: string,
): Promise<{ files: string[]; bufs: Buffer[] }> {
  const torrentDir = join(cfg.workDir, 'torrents')
  await mkdir(dataDir, { recursive: true })
  await mkdir(torrentDir, { recursive: true })
  const files: string[] = []
  const bufs: Buffer[] = []
  const pieceLength = 16 * 1024
  for (let i = 0; i < cfg.torrents; i++) {
    const name = `t${String(i).padStart(4, '0')}.bin`
    const data = seededBytes(cfg.fileKiB * 1024, 'bench-scale', name)
    await writeFile(join(dataDir, name), data)
    const t = buildTorrent({
      name,
      pieceLength,
      pieces: pieceHashes(data, pieceLength),
      length: data.length,
    })
    const file = join(torrentDir, `${name}.torrent`)
    await writeFile(file, t.torrentBuffer)
    files.push(file)
    bufs.push(Buffer.from(t.torrentBuffer))
  }
  return { files, bufs }
}

async function benchSeedling(
  cfg: ScaleBenchConfig,
  files: string[],
  dataDir: string,
): Promise<ScaleBenchResult['seedling']> {
  const stateDir = join(cfg.workDir, 'seedling-state')
  const tenth = Math.max(1, Math.floor(files.length / 10))
  const open = async (d: EngineDriver): Promise<void> => {
    await d.send({ cmd: 'open', stateDir, downloadDir: dataDir, port: await getFreePort() })
  }
  let d = await EngineDriver.start()
  let t0 = performance.now()
  try {
    await open(d)
    await d.send({ cmd: 'add', torrentFiles: files.slice(0, tenth), downloadDir: dataDir })
    await d.send({ cmd: 'waitSeeding', timeoutMs: cfg.timeoutMs })
    await settle(cfg)
    const fdsAtTenth = (await sampleProc(d.pid)).fds
    await d.send({ cmd: 'add', torrentFiles: files.slice(tenth), downloadDir: dataDir })
    await d.send({ cmd: 'waitSeeding', timeoutMs: cfg.timeoutMs })
    // Without the settle at a tenth.
    const firstStartMs = Math.round(performance.now() - t0 - cfg.windowMs)
    await settle(cfg)
    const atN = await sampleProc(d.pid)
    cfg.log(`scale: Seedling first start ${firstStartMs} ms, ${atN.rssMiB} MiB, ${atN.fds} fds`)
    await d.close()
    d = await EngineDriver.start()
    t0 = performance.now()
    await open(d)
    await d.send({ cmd: 'waitSeeding', timeoutMs: cfg.timeoutMs })
    const restartToSeedingMs = Math.round(performance.now() - t0)
    const steady = await d.measure(cfg.windowMs)
    const afterRestart = await sampleProc(d.pid)
    cfg.log(`scale: Seedling restart ${restartToSeedingMs} ms, tick ${steady.tickMeanMs} ms`)
    return {
      client: 'Seedling',
      firstStartMs,
      restartToSeedingMs,
      fdsAtTenth,
      atN,
      afterRestart,
      steady,
    }
  } finally {
    await d.close()
  }
}

async function benchTransmission(
  cfg: ScaleBenchConfig,
  bufs: Buffer[],
  dataDir: string,
): Promise<ScaleClient> {
  const configDir = join(cfg.workDir, 'transmission')
  const tenth = Math.max(1, Math.floor(bufs.length / 10))
  let tr = await BenchTransmission.start(configDir, true)
  let t0 = performance.now()
  try {
    for (const b of bufs.slice(0, tenth)) await tr.add(b, dataDir)
    await tr.waitSeeding(tenth, cfg.timeoutMs)
    await settle(cfg)
    const fdsAtTenth = (await sampleProc(tr.pid)).fds
    for (const b of bufs.slice(tenth)) await tr.add(b, dataDir)
    await tr.waitSeeding(bufs.length, cfg.timeoutMs)
    // Without the settle at a tenth.
    const firstStartMs = Math.round(performance.now() - t0 - cfg.windowMs)
    await settle(cfg)
    const atN = await sampleProc(tr.pid)
    cfg.log(`scale: transmission first start ${firstStartMs} ms, ${atN.rssMiB} MiB, ${atN.fds} fds`)
    await tr.stop()
    t0 = performance.now()
    tr = await BenchTransmission.start(configDir, false)
    await tr.waitSeeding(bufs.length, cfg.timeoutMs)
    const restartToSeedingMs = Math.round(performance.now() - t0)
    // The same settling time as Seedling's measuring window before RSS is read.
    await new Promise((r) => setTimeout(r, cfg.windowMs))
    const afterRestart = await sampleProc(tr.pid)
    cfg.log(`scale: transmission restart ${restartToSeedingMs} ms`)
    return {
      client: 'transmission-daemon',
      firstStartMs,
      restartToSeedingMs,
      fdsAtTenth,
      atN,
      afterRestart,
    }
  } finally {
    await tr.stop()
  }
}

export async function runScaleBench(cfg: ScaleBenchConfig): Promise<ScaleBenchResult> {
  const dataDir = join(cfg.workDir, 'data')
  cfg.log(`scale: writing ${cfg.torrents} torrents of ${cfg.fileKiB} KiB`)
  const { files, bufs } = await makeTorrents(cfg, dataDir)
  const seedling = await benchSeedling(cfg, files, dataDir)
  try {
    const transmission = await benchTransmission(cfg, bufs, dataDir)
    return { torrents: cfg.torrents, fileKiB: cfg.fileKiB, seedling, transmission }
  } catch (err) {
    cfg.log(`scale: transmission failed: ${(err as Error).message}`)
    return {
      torrents: cfg.torrents,
      fileKiB: cfg.fileKiB,
      seedling,
      transmission: null,
      transmissionError: (err as Error).message,
    }
  }
}
