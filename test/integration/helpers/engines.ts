/**
 * Engines for loopback tests: DHT, LSD, PEX and NAT traversal off, peers joined directly on 127.0.0.1.
 */
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'
import type { EngineOptions } from '../../../src/main/engine/engine'
import { TorrentEngine } from '../../../src/main/engine/engine'
import type { TorrentSource, TorrentSummary } from '../../../src/shared/api'
import { makeTorrentFixture } from '../../support/torrent-builder'
import type { FixtureOptions, TorrentFixture } from '../../support/torrent-builder'

export const LOOPBACK_ONLY = {
  dht: false,
  lsd: false,
  pex: false,
  natTraversal: false,
} as const

/**
 * The engines and folders a test makes, in arrays it pushes to: after each test (passed or not) the
 * engines are closed, then the folders removed.
 */
export function closedAfterEach(): { engines: TorrentEngine[]; dirs: string[] } {
  const made = { engines: [] as TorrentEngine[], dirs: [] as string[] }
  afterEach(async () => {
    await Promise.all(made.engines.splice(0).map((e) => e.close()))
    await Promise.all(made.dirs.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })))
  })
  return made
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `seedling-${prefix}-`))
}

export async function openEngine(
  stateDir: string,
  downloadDir: string,
  extra: Partial<EngineOptions> = {},
): Promise<TorrentEngine> {
  return TorrentEngine.open({
    stateDir,
    defaultDownloadDir: downloadDir,
    tickMs: 200,
    ...extra,
    overrides: { ...LOOPBACK_ONLY, port: 0, ...extra.overrides },
  })
}

export async function portOf(engine: TorrentEngine): Promise<number> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const { port } = await engine.getStats()
    if (port > 0) return port
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('engine did not start listening within 10 s')
}

/** Polls until the predicate holds for the torrent's summary; bounded in time. */
export async function waitForTorrent(
  engine: TorrentEngine,
  infoHash: string,
  predicate: (s: TorrentSummary) => boolean,
  timeoutMs = 60_000,
): Promise<TorrentSummary> {
  const deadline = Date.now() + timeoutMs
  let last: TorrentSummary | undefined
  while (Date.now() < deadline) {
    last = (await engine.listTorrents()).find((t) => t.infoHash === infoHash)
    if (last && predicate(last)) return last
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for torrent ${infoHash}; last state: ${JSON.stringify(last)}`)
}

export async function sha1File(file: string): Promise<string> {
  return createHash('sha1')
    .update(await fs.readFile(file))
    .digest('hex')
}

/** The fixture's .torrent as an addTorrent source. */
export function fileSource(fixture: TorrentFixture): TorrentSource {
  return { kind: 'file', data: Buffer.from(fixture.torrentBuffer).toString('base64') }
}

/**
 * A fresh fixture under `<root>/seed`, seeded by an engine whose state is `<root>/seed-state`, and the
 * address a leecher dials. `track` gets the engine before it is awaited on, so a failed start is still
 * closed by the caller's cleanup.
 */
export async function startSeeder(
  root: string,
  fixtureOptions: Omit<FixtureOptions, 'dir'>,
  track: (engine: TorrentEngine) => void,
): Promise<{
  fixture: TorrentFixture
  seeder: TorrentEngine
  seeding: TorrentSummary
  peer: string
}> {
  const fixture = await makeTorrentFixture({ ...fixtureOptions, dir: path.join(root, 'seed') })
  const seeder = await openEngine(path.join(root, 'seed-state'), fixture.dataDir)
  track(seeder)
  await seeder.addTorrent({ source: fileSource(fixture) })
  const seeding = await waitForTorrent(seeder, fixture.infoHash, (s) => s.status === 'seeding')
  return { fixture, seeder, seeding, peer: `127.0.0.1:${await portOf(seeder)}` }
}
