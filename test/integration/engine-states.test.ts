/**
 * States, progress and speeds on the real stack match what happens (issue 11 items 9 and 10): a recheck
 * shows 'checking' before 'seeding' again, a torrent that was paused when the engine crashed shows the
 * pieces verified on disk rather than 0 %, and speeds count payload only, stopping with the download.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TorrentSummary } from '../../src/shared/api'
import { makeTorrentFixture } from '../support/torrent-builder'
import {
  closedAfterEach,
  fileSource,
  openEngine,
  startSeeder,
  tempDir,
  waitForTorrent,
} from './helpers/engines'

const PIECE = 64 * 1024
const FILES = [
  { path: 'a.bin', size: 3_000_001 },
  { path: 'b.bin', size: 1_234_567 },
]
const TOTAL = 3_000_001 + 1_234_567

describe('torrent states', () => {
  const { engines, dirs } = closedAfterEach()

  async function setup(name: string) {
    const root = await tempDir(name)
    dirs.push(root)
    const fixture = await makeTorrentFixture({
      dir: path.join(root, 'seed'),
      name: 'states',
      files: FILES,
      pieceLength: PIECE,
      seed: name,
    })
    return { root, fixture, stateDir: path.join(root, 'state') }
  }

  it('a recheck shows checking, then seeding at 100 %', async () => {
    const { fixture, stateDir } = await setup('states-recheck')
    const engine = await openEngine(stateDir, fixture.dataDir)
    engines.push(engine)
    await engine.addTorrent({ source: fileSource(fixture) })
    await waitForTorrent(engine, fixture.infoHash, (s) => s.status === 'seeding', 30_000)

    const sent: TorrentSummary[] = []
    engine.on('torrents:changed', (changed) => sent.push(...changed))
    await engine.recheckTorrent({ infoHash: fixture.infoHash })
    const listed = (await engine.listTorrents())[0]!
    expect(listed.status).toBe('checking')
    const done = await waitForTorrent(engine, fixture.infoHash, (s) => s.status === 'seeding')
    expect(done.progress).toBe(1)
    const statuses = sent.map((s) => s.status)
    expect(statuses[0]).toBe('checking')
    expect(statuses.at(-1)).toBe('seeding')
    expect(statuses.slice(0, statuses.indexOf('seeding'))).not.toContain('paused')
  }, 60_000)

  it('a recheck while paused shows checking, then paused at the progress on disk', async () => {
    const { fixture, stateDir } = await setup('states-recheck-paused')
    const engine = await openEngine(stateDir, fixture.dataDir)
    engines.push(engine)
    await engine.addTorrent({ source: fileSource(fixture) })
    await waitForTorrent(engine, fixture.infoHash, (s) => s.status === 'seeding', 30_000)
    await engine.pauseTorrents({ infoHashes: [fixture.infoHash] })
    await fs.truncate(path.join(fixture.dataDir, 'states', 'a.bin'), PIECE * 10)

    await engine.recheckTorrent({ infoHash: fixture.infoHash })
    expect((await engine.listTorrents())[0]!.status).toBe('checking')
    const after = await waitForTorrent(engine, fixture.infoHash, (s) => s.status === 'paused')
    // a.bin's first ten pieces, and b.bin's own pieces (after the one it shares; the last is short).
    const last = Math.floor((TOTAL - 1) / PIECE)
    const shared = Math.floor(FILES[0]!.size / PIECE)
    expect(after.completedLength).toBe(
      10 * PIECE + (last - shared - 1) * PIECE + (TOTAL - last * PIECE),
    )
  }, 60_000)

  it('a torrent paused when the engine crashed shows its verified progress', async () => {
    const { fixture, stateDir } = await setup('states-crash')
    let engine = await openEngine(stateDir, fixture.dataDir)
    engines.push(engine)
    await engine.addTorrent({ source: fileSource(fixture), paused: true })
    await waitForTorrent(engine, fixture.infoHash, (s) => s.status === 'paused' && s.progress === 1)
    await engine.close()
    engines.splice(0)
    // A crash: the session stays marked as running, so its resume data is not trusted.
    const file = path.join(stateDir, 'session.json')
    const session = JSON.parse(await fs.readFile(file, 'utf8')) as { cleanShutdown: boolean }
    await fs.writeFile(file, JSON.stringify({ ...session, cleanShutdown: false }))
    // b.bin loses its tail: the pieces it spans past the cut are gone.
    const cut = 500_000
    await fs.truncate(path.join(fixture.dataDir, 'states', 'b.bin'), cut)

    engine = await openEngine(stateDir, fixture.dataDir)
    engines.push(engine)
    const after = await waitForTorrent(engine, fixture.infoHash, (s) => s.status === 'paused')
    // Every piece that ends at or before the cut is whole.
    const wholePieces = Math.floor((FILES[0]!.size + cut) / PIECE)
    expect(after.completedLength).toBe(wholePieces * PIECE)
    expect(after.progress).toBeCloseTo((wholePieces * PIECE) / TOTAL, 6)
    expect(after.status).toBe('paused')
  }, 60_000)

  it('a seeder shows no download, and a finished download no speed', async () => {
    const root = await tempDir('states-speeds')
    dirs.push(root)
    const { fixture, seeder, peer } = await startSeeder(
      root,
      { files: FILES, pieceLength: PIECE, name: 'states', seed: 'states-speeds' },
      (e) => engines.push(e),
    )
    // About 4 s: long enough for the meters to show the transfer.
    await seeder.updateSettings({ uploadLimit: 1024 * 1024 })
    const leecher = await openEngine(path.join(root, 'leech'), path.join(root, 'downloads'), {
      peers: [peer],
    })
    engines.push(leecher)
    const seeding: TorrentSummary[] = []
    const leeching: TorrentSummary[] = []
    seeder.on('torrents:changed', (changed) => seeding.push(...changed))
    leecher.on('torrents:changed', (changed) => leeching.push(...changed))
    await leecher.addTorrent({ source: fileSource(fixture) })
    await waitForTorrent(leecher, fixture.infoHash, (s) => s.status === 'seeding', 30_000)

    expect(Math.max(...leeching.map((s) => s.downloadSpeed))).toBeGreaterThan(0)
    expect(leeching.some((s) => s.status === 'downloading' && s.eta !== null)).toBe(true)
    const finished = leeching.find((s) => s.status === 'seeding')!
    expect(finished).toMatchObject({ downloadSpeed: 0, eta: null })
    // The leecher's requests and HAVEs reach the seeder: protocol, not download.
    expect(Math.max(...seeding.map((s) => s.uploadSpeed))).toBeGreaterThan(0)
    expect(seeding.map((s) => s.downloadSpeed).filter((v) => v > 0)).toEqual([])
    expect((await seeder.getStats()).downloadSpeed).toBe(0)
  }, 60_000)
})
