/**
 * "Downloaded" counts payload received from peers (and "Uploaded" payload sent), as qBittorrent does:
 * data verified from disk, on a resume, a recheck, a restart or a torrent the user created, is not a
 * download.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TorrentEngine } from '../../src/main/engine/engine'
import type { TorrentSummary } from '../../src/shared/api'
import {
  closedAfterEach,
  fileSource,
  openEngine,
  startSeeder,
  tempDir,
  waitForTorrent,
} from './helpers/engines'

const SIZE = 3 * 1024 * 1024 + 12_345
/** Endgame may fetch a block twice; a whole extra copy of the torrent is the defect. */
const SLACK = 1.1

async function summary(engine: TorrentEngine, infoHash: string): Promise<TorrentSummary> {
  const found = (await engine.listTorrents()).find((t) => t.infoHash === infoHash)
  if (!found) throw new Error(`no torrent ${infoHash}`)
  return found
}

describe('downloaded and uploaded counters', () => {
  const { engines, dirs } = closedAfterEach()

  it('count only bytes from peers across pause/resume, recheck and restart', async () => {
    const root = await tempDir('swarm-counters')
    dirs.push(root)
    const { fixture, seeder, seeding, peer } = await startSeeder(
      root,
      {
        files: [{ path: 'payload.bin', size: SIZE }],
        pieceLength: 64 * 1024,
        seed: 'swarm-counters',
      },
      (e) => engines.push(e),
    )
    const source = fileSource(fixture)
    // Seeded from its own files, as a torrent the user created: nothing was downloaded.
    expect(seeding.downloaded).toBe(0)
    expect(seeding.downloadedTotal).toBe(0)

    const leechState = path.join(root, 'leech-state')
    const downloads = path.join(root, 'downloads')
    const peers = [peer]
    let leecher = await openEngine(leechState, downloads, { peers })
    engines.push(leecher)
    await leecher.addTorrent({ source })
    const done = await waitForTorrent(leecher, fixture.infoHash, (s) => s.status === 'seeding')
    expect(done.downloadedTotal).toBeGreaterThanOrEqual(SIZE)
    expect(done.downloadedTotal).toBeLessThan(SIZE * SLACK)

    const settled = async (what: string): Promise<TorrentSummary> => {
      await waitForTorrent(leecher, fixture.infoHash, (t) => t.status === 'seeding')
      // A few ticks: the counters of the new attachment are read after its check.
      await new Promise((r) => setTimeout(r, 1000))
      const s = await summary(leecher, fixture.infoHash)
      // Blocks in flight at the finish may still land: a few KiB, never a second copy.
      expect(s.downloadedTotal, what).toBeGreaterThanOrEqual(done.downloadedTotal)
      expect(s.downloadedTotal, what).toBeLessThan(SIZE * SLACK)
      return s
    }

    await leecher.pauseTorrents({ infoHashes: [fixture.infoHash] })
    await leecher.resumeTorrents({ infoHashes: [fixture.infoHash] })
    expect((await settled('after pause/resume')).downloaded).toBeLessThan(SIZE * SLACK)

    await leecher.recheckTorrent({ infoHash: fixture.infoHash })
    await settled('after a recheck')

    await leecher.close()
    engines.splice(engines.indexOf(leecher), 1)
    leecher = await openEngine(leechState, downloads, { peers })
    engines.push(leecher)
    const restarted = await settled('after a restart')
    expect(restarted.downloaded).toBe(0)
    expect(restarted.ratio).toBeLessThan(0.01)

    const uploaded = await summary(seeder, fixture.infoHash)
    expect(uploaded.downloadedTotal).toBe(0)
    expect(uploaded.uploadedTotal).toBeGreaterThanOrEqual(SIZE)
    expect(uploaded.uploadedTotal).toBeLessThan(SIZE * SLACK)
    // Nothing downloaded: the ratio is over the torrent's size, as for any seeder of its own data.
    expect(uploaded.ratio).toBeCloseTo(uploaded.uploadedTotal / SIZE, 5)
  }, 90_000)
})
