import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTorrentFixture } from '../../../test/support/torrent-builder'
import { autoPieceLength, createTorrentFile } from './create'
import { MetaInfoError } from './metainfo'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'seedling-create-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('createTorrentFile', () => {
  it('matches an independently built single-file torrent', async () => {
    const fx = await makeTorrentFixture({
      dir: path.join(dir, 'single'),
      files: [{ path: 'movie.bin', size: 100_000 }],
      pieceLength: 16384,
    })
    const progress: [number, number][] = []
    const { torrent, decoded } = await createTorrentFile({
      path: path.join(fx.dataDir, 'movie.bin'),
      pieceLength: 16384,
      onProgress: (done, total) => progress.push([done, total]),
    })
    expect(decoded.meta.infoHash).toBe(fx.infoHash)
    expect(decoded.meta.multiFile).toBe(false)
    expect(decoded.meta.pieceCount).toBe(7)
    expect(decoded.meta.createdBy).toBe('Seedling')
    expect(decoded.meta.creationDate).not.toBeNull()
    expect(torrent.length).toBeGreaterThan(decoded.infoBuffer.length)
    expect(progress.at(-1)).toEqual([100_000, 100_000])
  })

  it('matches an independently built multi-file torrent, files in bytewise order', async () => {
    const fx = await makeTorrentFixture({
      dir: path.join(dir, 'multi'),
      name: 'album',
      // Listed in the order the creator must produce: bytewise within each folder, so "B" < "a".
      files: [
        { path: 'B.txt', size: 5000 },
        { path: 'a.txt', size: 0 },
        { path: 'sub/x.bin', size: 40_000 },
        { path: 'sub/y.bin', size: 1 },
        { path: 'z.bin', size: 30_000 },
      ],
      pieceLength: 32768,
      seed: 7,
    })
    const { decoded } = await createTorrentFile({
      path: path.join(fx.dataDir, 'album'),
      pieceLength: 32768,
    })
    expect(decoded.meta.files.map((f) => f.path)).toEqual(fx.files.map((f) => f.path))
    expect(decoded.meta.infoHash).toBe(fx.infoHash)
  })

  it('writes trackers one per tier, web seeds, comment and private', async () => {
    const file = path.join(dir, 'small.txt')
    await writeFile(file, 'hello world')
    const { decoded } = await createTorrentFile({
      path: file,
      trackers: ['udp://a.example:1337', 'https://b.example/announce'],
      webSeeds: ['https://seed.example/small.txt'],
      comment: 'a comment',
      createdBy: 'test',
      private: true,
    })
    const m = decoded.meta
    expect(m.announce).toBe('udp://a.example:1337')
    expect(m.announceList).toEqual([['udp://a.example:1337'], ['https://b.example/announce']])
    expect(m.urlList).toEqual(['https://seed.example/small.txt'])
    expect(m.comment).toBe('a comment')
    expect(m.createdBy).toBe('test')
    expect(m.private).toBe(true)
    expect(m.pieceLength).toBe(16384)
    expect(m.length).toBe(11)
  })

  it('leaves out symbolic links and keeps hidden files', async () => {
    const folder = path.join(dir, 'links')
    await mkdir(folder)
    await writeFile(path.join(folder, '.hidden'), 'h')
    await writeFile(path.join(folder, 'real'), 'r')
    await symlink('/etc/hostname', path.join(folder, 'link'))
    const { decoded } = await createTorrentFile({ path: folder })
    expect(decoded.meta.files.map((f) => f.path)).toEqual(['links/.hidden', 'links/real'])
  })

  it.each([1000, 8192, 3 * 16384, 32 * 1024 * 1024])(
    'rejects piece length %d',
    async (pieceLength) => {
      const file = path.join(dir, 'small.txt')
      await writeFile(file, 'x')
      await expect(createTorrentFile({ path: file, pieceLength })).rejects.toThrow(
        /must be a power of two from 16 KiB to 16 MiB/,
      )
    },
  )

  it('rejects bad trackers and web seeds before hashing', async () => {
    const file = path.join(dir, 'small.txt')
    await writeFile(file, 'x')
    await expect(createTorrentFile({ path: file, trackers: ['nope'] })).rejects.toThrow(
      /invalid tracker URL: nope/,
    )
    await expect(createTorrentFile({ path: file, webSeeds: ['udp://x.example'] })).rejects.toThrow(
      /invalid web seed URL/,
    )
  })

  it('rejects a missing path and an empty folder', async () => {
    await expect(createTorrentFile({ path: path.join(dir, 'nope') })).rejects.toThrow(MetaInfoError)
    const empty = path.join(dir, 'empty')
    await mkdir(path.join(empty, 'sub'), { recursive: true })
    await writeFile(path.join(empty, 'sub', 'zero'), '')
    await expect(createTorrentFile({ path: empty })).rejects.toThrow(/nothing to share/)
  })
})

describe('autoPieceLength', () => {
  it('keeps the piece count near 2000 within 16 KiB to 16 MiB', () => {
    expect(autoPieceLength(1)).toBe(16384)
    expect(autoPieceLength(2000 * 16384)).toBe(16384)
    expect(autoPieceLength(2000 * 16384 + 1)).toBe(32768)
    expect(autoPieceLength(1024 ** 3)).toBe(1024 * 1024)
    expect(autoPieceLength(2 ** 50)).toBe(16 * 1024 * 1024)
  })
})
