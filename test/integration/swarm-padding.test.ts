/**
 * BEP 47 padding files between two Seedlings: a torrent whose files are aligned to pieces by `.pad/N`
 * files (attr "p") seeds from data without any padding on disk, downloads byte-exact, writes no
 * padding file, and shows sizes and file lists without the padding.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
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
// Each real file starts on a piece: a.bin 40,000 + 9,152 of padding = 3 pieces, b.bin 7,232 + 9,152
// = 1 piece, then c.bin. Both padding files have the same name, as creators name them by size.
const FILES = [
  { path: 'a.bin', size: 40_000 },
  { path: '.pad/9152', size: 9_152, padding: true },
  { path: 'b.bin', size: 7_232 },
  { path: '.pad/9152', size: 9_152, padding: true },
  { path: 'c.bin', size: 17_000 },
]
const REAL = FILES.filter((f) => !f.padding)
const REAL_LENGTH = REAL.reduce((n, f) => n + f.size, 0)

describe('BEP 47 padding files', () => {
  const { engines, dirs } = closedAfterEach()

  async function padded(name: string) {
    const root = await tempDir(name)
    dirs.push(root)
    const seeded = await startSeeder(
      root,
      { files: FILES, pieceLength: PIECE, name: 'padded', seed: name },
      (e) => engines.push(e),
    )
    const downloads = path.join(root, 'downloads')
    const leecher = await openEngine(path.join(root, 'leech-state'), downloads, {
      peers: [seeded.peer],
    })
    engines.push(leecher)
    return { ...seeded, downloads, leecher }
  }

  async function expectRealFilesOnly(downloads: string, fixture: TorrentFixture): Promise<void> {
    for (const f of fixture.files.filter((x) => !x.padding)) {
      expect(await sha1File(path.join(downloads, f.path))).toBe(await sha1File(f.absolutePath))
    }
    expect((await fs.readdir(path.join(downloads, 'padded'))).sort()).toEqual([
      'a.bin',
      'b.bin',
      'c.bin',
    ])
  }

  it('seeds and downloads a padded torrent without writing or showing the padding', async () => {
    const { fixture, seeder, seeding, downloads, leecher } = await padded('padding')
    // The seeder verified every piece, padding included, from its real files alone.
    expect(seeding.progress).toBe(1)
    await expect(fs.stat(path.join(fixture.dataDir, 'padded', '.pad'))).rejects.toThrow()

    await leecher.addTorrent({ source: fileSource(fixture) })
    const done = await waitForTorrent(leecher, fixture.infoHash, (s) => s.status === 'seeding')
    await expectRealFilesOnly(downloads, fixture)

    for (const [engine, summary] of [
      [leecher, done],
      [seeder, seeding],
    ] as const) {
      expect(summary.length).toBe(REAL_LENGTH)
      expect(summary.selectedLength).toBe(REAL_LENGTH)
      const detail = await engine.getTorrent({ infoHash: fixture.infoHash })
      expect(detail.files.map((f) => [f.index, f.path, f.length])).toEqual([
        [0, 'padded/a.bin', 40_000],
        [2, 'padded/b.bin', 7_232],
        [4, 'padded/c.bin', 17_000],
      ])
    }
  })

  it('knows the padding of a magnet once its metadata arrives', async () => {
    const { fixture, downloads, leecher } = await padded('padding-magnet')
    await leecher.addTorrent({
      source: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${fixture.infoHash}` },
    })
    const done = await waitForTorrent(leecher, fixture.infoHash, (s) => s.status === 'seeding')
    await expectRealFilesOnly(downloads, fixture)
    expect(done.length).toBe(REAL_LENGTH)
  })

  it('resumes seeding a padded torrent after a restart', async () => {
    const { fixture, seeder, downloads } = await padded('padding-restart')
    const state = path.join(path.dirname(downloads), 'seed-state')
    await seeder.close()
    engines.splice(engines.indexOf(seeder), 1)
    const again = await openEngine(state, fixture.dataDir)
    engines.push(again)
    const back = await waitForTorrent(again, fixture.infoHash, (s) => s.status === 'seeding')
    expect(back.progress).toBe(1)
    await expect(fs.stat(path.join(fixture.dataDir, 'padded', '.pad'))).rejects.toThrow()
  })
})
