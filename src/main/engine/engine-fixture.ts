/**
 * An engine on a FakeBackend for unit tests: a real session folder in tmp, no network, ticks only when a
 * command or a test asks for one. Used only by the engine's unit tests.
 */
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { SeedlingEvents } from '@shared/api'
import { FakeBackend } from './backend/fake-backend'
import { createTorrentFile } from './create'
import { TorrentEngine } from './engine'
import type { EngineOptions } from './engine'

export interface EngineFixture {
  engine: TorrentEngine
  backend: FakeBackend
  root: string
  /** Every event the engine emitted, in order. */
  events: Array<{ event: keyof SeedlingEvents; payload: unknown }>
  close(): Promise<void>
}

/** Two files over five 16 KiB pieces (the second file starts inside piece 2). */
export async function makeTorrent(
  root: string,
  name = 'pack',
): Promise<{
  base64: string
  infoHash: string
}> {
  const dir = path.join(root, 'source', name)
  await fs.mkdir(dir, { recursive: true })
  await fs.writeFile(path.join(dir, 'a.bin'), Buffer.alloc(40_000, 1))
  await fs.writeFile(path.join(dir, 'b.bin'), Buffer.alloc(30_000, 2))
  const { torrent, decoded } = await createTorrentFile({ path: dir, pieceLength: 16 * 1024 })
  return { base64: Buffer.from(torrent).toString('base64'), infoHash: decoded.meta.infoHash }
}

export async function openFakeEngine(extra: Partial<EngineOptions> = {}): Promise<EngineFixture> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'seedling-engine-unit-'))
  const backend = new FakeBackend()
  const engine = await TorrentEngine.open(
    {
      stateDir: path.join(root, 'state'),
      defaultDownloadDir: path.join(root, 'downloads'),
      // An hour: the tests drive every tick themselves.
      tickMs: 3_600_000,
      overrides: { port: 6881 },
      ...extra,
    },
    backend,
  )
  const events: EngineFixture['events'] = []
  const names: Array<keyof SeedlingEvents> = [
    'torrents:changed',
    'torrent:added',
    'torrent:removed',
    'torrent:done',
    'torrent:error',
    'stats',
  ]
  for (const event of names) engine.on(event, (payload) => events.push({ event, payload }))
  return {
    engine,
    backend,
    root,
    events,
    close: async () => {
      await engine.close()
      await fs.rm(root, { recursive: true, force: true })
    },
  }
}

/** The engine's tick, which tests may call: a test-only reach past `private`. */
export function tick(engine: TorrentEngine): void {
  ;(engine as unknown as { ticker: { tick(): void } }).ticker.tick()
}

/** Lets queued microtasks (completion reports, done-triggered ticks) run. */
export const flush = (): Promise<void> => new Promise((r) => setImmediate(r))
