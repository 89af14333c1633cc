/**
 * Loopback peers for the e2e suites: an open HTTP tracker (bittorrent-tracker's `Server`) on 127.0.0.1,
 * and a seeder engine (DHT/LSD/PEX/NAT off) that announces to it. Both run in the test process; `stop()`
 * ends exactly what was started here, each bounded in time.
 */
import type { AddressInfo } from 'node:net'
import type { TorrentEngine } from '../../src/main/engine/engine'
import type { SettingsPatch } from '../../src/shared/api'
import { openEngine, portOf, tempDir, waitForTorrent } from '../integration/helpers/engines'
import type { TorrentFixture } from '../support/torrent-builder'

/** The part of bittorrent-tracker's Server used here (src/types/vendor.d.ts declares only the Client). */
interface TrackerServer {
  http: { address(): AddressInfo | string | null } | null
  listen(port: number, hostname: string, onListening: () => void): void
  close(cb?: () => void): void
  on(event: 'error' | 'warning', listener: (err: Error) => void): void
  once(event: 'error', listener: (err: Error) => void): void
  torrents: Record<string, { peers: { length: number } } | undefined>
}

export interface LoopbackTracker {
  announceUrl: string
  port: number
  /** Peers the tracker currently knows for an info hash (hex). */
  peerCount(infoHash: string): number
  stop(): Promise<void>
}

function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

/** An open HTTP tracker (no UDP, no WebSocket) on 127.0.0.1 and a free port. */
export async function startLoopbackTracker(): Promise<LoopbackTracker> {
  const mod = (await import('bittorrent-tracker')) as unknown as {
    Server: new (opts: Record<string, unknown>) => TrackerServer
  }
  const server = new mod.Server({
    http: true,
    udp: false,
    ws: false,
    stats: false,
    trustProxy: false,
  })
  server.on('warning', () => undefined) // e.g. an announce for an unknown torrent: not our concern
  await bounded(
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    }),
    10_000,
    'tracker listen',
  )
  const address = server.http?.address()
  if (!address || typeof address === 'string') throw new Error('tracker has no TCP address')
  let stopping: Promise<void> | null = null
  return {
    port: address.port,
    announceUrl: `http://127.0.0.1:${address.port}/announce`,
    peerCount: (infoHash) => server.torrents[infoHash]?.peers.length ?? 0,
    stop: () =>
      (stopping ??= bounded(
        new Promise<void>((resolve) => server.close(() => resolve())),
        10_000,
        'tracker close',
      ).catch(() => undefined)),
  }
}

export interface LoopbackSeeder {
  engine: TorrentEngine
  /** The seeder's BitTorrent listening port on 127.0.0.1. */
  port: number
  stop(): Promise<void>
}

/**
 * An in-process engine seeding the fixture's data in place (a recheck, then "seeding"); it announces
 * to the trackers in the fixture's .torrent. `overrides` e.g. `{ uploadLimit }` to slow it down.
 */
export async function startLoopbackSeeder(
  fixture: TorrentFixture,
  overrides: SettingsPatch = {},
): Promise<LoopbackSeeder> {
  const stateDir = await tempDir('e2e-seeder-state')
  const engine = await openEngine(stateDir, fixture.dataDir, { overrides })
  let stopping: Promise<void> | null = null
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await bounded(engine.close(), 15_000, 'seeder close').catch(() => undefined)
      const { rm } = await import('node:fs/promises')
      await rm(stateDir, { recursive: true, force: true })
    })())
  try {
    const { torrent } = await engine.addTorrent({
      source: { kind: 'file', data: Buffer.from(fixture.torrentBuffer).toString('base64') },
      downloadDir: fixture.dataDir,
    })
    await waitForTorrent(engine, torrent.infoHash, (s) => s.status === 'seeding', 30_000)
    return { engine, port: await portOf(engine), stop }
  } catch (err) {
    await stop()
    throw err
  }
}

/** Polls until `check` returns true; throws after `timeoutMs` (for hooks, where expect.poll is not allowed). */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
}
