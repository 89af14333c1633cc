// A Seedling engine in its own process for the recheck, scale and seed benches: the parent sends it
// commands over the fork IPC channel and reads its resources from /proc, the way it reads those of
// transmission-daemon. Bundled by bench/engine-client.ts so no tsx loader sits in the measured process.
// Network: DHT, LSD, PeX and UPnP/NAT-PMP off; trackers and peers come only from the parent (loopback).
import { readFile } from 'node:fs/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { writeHeapSnapshot } from 'node:v8'
import type { TorrentSummary } from '@shared/api'
import { TorrentEngine } from '../src/main/engine/engine'
import type { Ticker } from '../src/main/engine/ticker'
import { allocations, memory } from './engine-memory'

export type DriverCommand =
  | { cmd: 'open'; stateDir: string; downloadDir: string; port: number; peers?: string[] }
  | { cmd: 'add'; torrentFiles: string[]; downloadDir: string }
  | { cmd: 'waitSeeding'; timeoutMs: number }
  | { cmd: 'recheck'; infoHash: string; timeoutMs: number }
  | { cmd: 'measure'; windowMs: number }
  | { cmd: 'uploaded' }
  | { cmd: 'memory' }
  | { cmd: 'heapSnapshot'; file: string }
  | { cmd: 'allocations'; file?: string }
  | { cmd: 'close' }

export interface MeasureReply {
  ticks: number
  tickMeanMs: number
  tickMaxMs: number
  loopDelayP50Ms: number
  loopDelayP99Ms: number
  loopDelayMaxMs: number
}

let engine: TorrentEngine | undefined
const LOOP_SAMPLE_MS = 10

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function need(): TorrentEngine {
  if (!engine) throw new Error('the engine is not open')
  return engine
}

/** The engine's ticker; its tick timing is for benches only, so it is not part of the API. */
function ticker(): Ticker {
  return (need() as unknown as { ticker: Ticker }).ticker
}

/** Polls the list every `pollMs` until every torrent is seeding; the time it took in ms. */
async function waitSeeding(timeoutMs: number, pollMs = 200): Promise<number> {
  const t0 = performance.now()
  for (;;) {
    const list: TorrentSummary[] = await need().listTorrents()
    const failed = list.find((t) => t.status === 'error')
    if (failed) throw new Error(`${failed.name}: ${failed.error ?? 'error'}`)
    if (list.length > 0 && list.every((t) => t.status === 'seeding')) return performance.now() - t0
    const waiting = list.filter((t) => t.status !== 'seeding').length
    if (performance.now() - t0 > timeoutMs) throw new Error(`${waiting} torrents still not seeding`)
    await sleep(pollMs)
  }
}

async function measure(windowMs: number): Promise<MeasureReply> {
  const timing = ticker().tickTime
  const before = { ...timing }
  timing.maxMs = 0
  const h = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS })
  h.enable()
  await sleep(windowMs)
  h.disable()
  const ticks = timing.count - before.count
  // The histogram holds whole sampling intervals; the delay is what exceeds the period.
  const ms = (ns: number): number =>
    Math.max(0, Math.round((ns / 1e6 - LOOP_SAMPLE_MS) * 100) / 100)
  return {
    ticks,
    tickMeanMs: ticks ? Math.round(((timing.totalMs - before.totalMs) / ticks) * 100) / 100 : 0,
    tickMaxMs: Math.round(timing.maxMs * 100) / 100,
    loopDelayP50Ms: ms(h.percentile(50)),
    loopDelayP99Ms: ms(h.percentile(99)),
    loopDelayMaxMs: ms(h.max),
  }
}

async function run(c: DriverCommand): Promise<unknown> {
  switch (c.cmd) {
    case 'open':
      engine = await TorrentEngine.open({
        stateDir: c.stateDir,
        defaultDownloadDir: c.downloadDir,
        overrides: { dht: false, lsd: false, pex: false, natTraversal: false, port: c.port },
        peers: c.peers,
      })
      return null
    case 'add':
      for (const file of c.torrentFiles) {
        const data = (await readFile(file)).toString('base64')
        await need().addTorrent({ source: { kind: 'file', data }, downloadDir: c.downloadDir })
      }
      return null
    case 'waitSeeding':
      return waitSeeding(c.timeoutMs)
    case 'recheck': {
      const t0 = performance.now()
      await need().recheckTorrent({ infoHash: c.infoHash })
      // Polled as often as transmission's verify is (bench/transmission-daemon.ts).
      await waitSeeding(c.timeoutMs, 50)
      return performance.now() - t0
    }
    case 'measure':
      return measure(c.windowMs)
    case 'uploaded':
      return (await need().listTorrents()).reduce((n, t) => n + t.uploaded, 0)
    case 'memory':
      return memory()
    case 'heapSnapshot':
      return writeHeapSnapshot(c.file)
    case 'allocations':
      return allocations(c.file)
    case 'close':
      await engine?.close()
      engine = undefined
      setImmediate(() => process.exit(0))
      return null
  }
}

process.on('message', (msg: { id: number; command: DriverCommand }) => {
  run(msg.command).then(
    (value) => process.send?.({ id: msg.id, ok: true, value }),
    (err: unknown) => process.send?.({ id: msg.id, ok: false, error: String(err) }),
  )
})
process.on('disconnect', () => process.exit(0))
