/**
 * A partial file selection whose files share pieces with unselected neighbours still completes
 * (issue 11 defect 1: it stalled at 95–99% because the shared boundary pieces were never requested).
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TorrentEngine } from '../../src/main/engine/engine'
import type { TorrentFixture } from '../support/torrent-builder'
import {
  closedAfterEach,
  fileSource,
  openEngine,
  sha1File,
  startSeeder,
  tempDir,
  waitForTorrent,
} from './helpers/engines'

const PIECE = 16 * 1024
// Uneven sizes, so every file boundary falls inside a piece (161,000 bytes, 10 pieces): piece 2 holds
// the end of f0 and the start of f1, piece 3 f1|f2, piece 6 f2|f3, piece 8 f3|f4.
const FILES = [40_000, 23_000, 51_000, 30_000, 17_000].map((size, i) => ({
  path: `f${i}.bin`,
  size,
}))

describe('file selection across shared pieces', () => {
  const { engines, dirs } = closedAfterEach()

  /** A seeder with the whole torrent and a leecher that adds it with only `selected` ticked. */
  async function swarm(
    name: string,
    selected: number[],
  ): Promise<{ fixture: TorrentFixture; leecher: TorrentEngine; downloads: string }> {
    const root = await tempDir(name)
    dirs.push(root)
    const { fixture, peer } = await startSeeder(
      root,
      { files: FILES, pieceLength: PIECE, name: 'set', seed: name },
      (e) => engines.push(e),
    )

    const downloads = path.join(root, 'downloads')
    const leecher = await openEngine(path.join(root, 'leech-state'), downloads, {
      peers: [peer],
    })
    engines.push(leecher)
    await leecher.addTorrent({
      source: fileSource(fixture),
      selectedFiles: selected,
    })
    return { fixture, leecher, downloads }
  }

  async function expectExact(fixture: TorrentFixture, downloads: string, indexes: number[]) {
    for (const i of indexes) {
      const file = fixture.files[i]!
      expect(await sha1File(path.join(downloads, file.path))).toBe(
        await sha1File(file.absolutePath),
      )
    }
  }

  it('completes the selected files, boundary pieces shared with unselected files included', async () => {
    const { fixture, leecher, downloads } = await swarm('swarm-select-a', [0, 2])
    const done = await waitForTorrent(
      leecher,
      fixture.infoHash,
      (s) => s.status === 'seeding',
      30_000,
    )
    expect(done.selectedLength).toBe(FILES[0]!.size + FILES[2]!.size)
    expect(done.progress).toBe(1)
    const detail = await leecher.getTorrent({ infoHash: fixture.infoHash })
    expect(detail.files.map((f) => f.selected)).toEqual([true, false, true, false, false])
    expect(detail.files.filter((f) => f.selected).map((f) => f.progress)).toEqual([1, 1])
    await expectExact(fixture, downloads, [0, 2])
  }, 60_000)

  it('resumes a file selected after the first selection completed', async () => {
    const { fixture, leecher, downloads } = await swarm('swarm-select-b', [0, 2])
    await waitForTorrent(leecher, fixture.infoHash, (s) => s.status === 'seeding', 30_000)

    await leecher.setFileSelection({
      infoHash: fixture.infoHash,
      files: [{ index: 3, selected: true }],
    })
    const done = await waitForTorrent(
      leecher,
      fixture.infoHash,
      (s) =>
        s.selectedLength === FILES[0]!.size + FILES[2]!.size + FILES[3]!.size &&
        s.status === 'seeding',
      30_000,
    )
    expect(done.progress).toBe(1)
    const detail = await leecher.getTorrent({ infoHash: fixture.infoHash })
    expect(detail.files.map((f) => f.selected)).toEqual([true, false, true, true, false])
    expect(detail.files[3]!.progress).toBe(1)
    await expectExact(fixture, downloads, [0, 2, 3])
  }, 60_000)
})
