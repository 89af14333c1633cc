/** BEP 53: a magnet link's `so=` is the initial file selection once the metadata arrives. */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  closedAfterEach,
  openEngine,
  sha1File,
  startSeeder,
  tempDir,
  waitForTorrent,
} from './helpers/engines'

const PIECE = 16 * 1024
// Whole pieces each, so no piece is shared between a selected file and another.
const FILES = [0, 1, 2, 3, 4].map((i) => ({ path: `f${i}.bin`, size: 4 * PIECE }))

describe('magnet so=', () => {
  const { engines, dirs } = closedAfterEach()

  it('fetches only the files it selects', async () => {
    const root = await tempDir('swarm-so')
    dirs.push(root)
    const { fixture, peer } = await startSeeder(
      root,
      { files: FILES, pieceLength: PIECE, name: 'set', seed: 'swarm-so' },
      (e) => engines.push(e),
    )

    const downloads = path.join(root, 'downloads')
    const leecher = await openEngine(path.join(root, 'leech-state'), downloads, {
      peers: [peer],
    })
    engines.push(leecher)
    // 7 is past the file count: ignored once the metadata tells there are 5.
    const uri = `magnet:?xt=urn:btih:${fixture.infoHash}&so=0,2-3,7`
    await leecher.addTorrent({ source: { kind: 'magnet', uri } })
    const done = await waitForTorrent(
      leecher,
      fixture.infoHash,
      (s) => s.hasMetadata && s.progress === 1,
      30_000,
    )
    expect(done.selectedLength).toBe(3 * 4 * PIECE)

    const detail = await leecher.getTorrent({ infoHash: fixture.infoHash })
    expect(detail.files.map((f) => f.selected)).toEqual([true, false, true, true, false])
    expect(detail.files.map((f) => f.progress)).toEqual([1, 0, 1, 1, 0])
    for (const i of [0, 2, 3]) {
      const file = fixture.files[i]!
      expect(await sha1File(path.join(downloads, file.path))).toBe(
        await sha1File(file.absolutePath),
      )
    }
    expect(done.downloadedTotal).toBeLessThan(4 * 4 * PIECE)
  }, 60_000)
})
