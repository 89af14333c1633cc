import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTorrentFixture } from '../../../test/support/torrent-builder'
import type { TorrentFixture } from '../../../test/support/torrent-builder'
import { MetaInfoError, decodeTorrentFile } from '../engine/metainfo'
import { formatInfo, infoJson, runInfo } from './info-command'

const HEX = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a'
let dir: string
let multi: TorrentFixture
let single: TorrentFixture

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'seedling-info-'))
  multi = await makeTorrentFixture({
    dir: path.join(dir, 'multi'),
    name: 'album',
    files: [
      { path: 'cd1/a.flac', size: 40_000 },
      { path: 'b.txt', size: 10 },
    ],
    pieceLength: 16384,
    trackers: ['udp://a.example:1337', 'http://b.example/announce'],
    urlList: ['https://seed.example/'],
    comment: 'line one\nline two',
    private: true,
  })
  single = await makeTorrentFixture({
    dir: path.join(dir, 'single'),
    files: [{ path: 'one.iso', size: 20_000 }],
    pieceLength: 16384,
  })
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('infoJson', () => {
  it('has every field, paths starting with the name, pieces only when asked', async () => {
    const json = JSON.parse(await runInfo(multi.torrentPath, { json: true, pieces: false }))
    expect(json).toMatchObject({
      infoHash: multi.infoHash,
      name: 'album',
      announce: 'udp://a.example:1337',
      announceList: [['udp://a.example:1337'], ['http://b.example/announce']],
      urlList: ['https://seed.example/'],
      pieceLength: 16384,
      pieceCount: 3,
      lastPieceLength: 40_010 - 2 * 16384,
      length: 40_010,
      files: [
        { path: 'album/cd1/a.flac', length: 40_000, offset: 0 },
        { path: 'album/b.txt', length: 10, offset: 40_000 },
      ],
      private: true,
      comment: 'line one\nline two',
      createdBy: null,
      creationDate: '2023-11-14T22:13:20.000Z',
    })
    expect(json.magnetURI).toMatch(
      new RegExp(`^magnet:\\?xt=urn:btih:${multi.infoHash}&dn=album&tr=`),
    )
    expect(json).not.toHaveProperty('pieces')

    const withPieces = JSON.parse(await runInfo(multi.torrentPath, { json: true, pieces: true }))
    expect(withPieces.pieces).toHaveLength(3)
    expect(withPieces.pieces[0]).toMatch(/^[0-9a-f]{40}$/)
  })

  it('uses the name as the path of a single-file torrent', () => {
    const meta = decodeTorrentFile(single.torrentBuffer).meta
    const json = infoJson(meta)
    expect(json.files).toEqual([
      { path: 'one.iso', length: 20_000, offset: 0, firstPiece: 0, lastPiece: 1 },
    ])
    expect(json.announce).toBeNull()
    expect(json.private).toBe(false)
  })
})

describe('formatInfo', () => {
  it('labels every field and lists files and trackers by tier', () => {
    const meta = decodeTorrentFile(multi.torrentBuffer).meta
    const out = formatInfo(meta, { pieces: false })
    expect(out).toContain(`Info hash:  ${multi.infoHash}`)
    expect(out).toContain('Name:       album')
    expect(out).toContain('Size:       39.1 KiB (40,010 bytes)')
    expect(out).toContain('Pieces:     3 × 16 KiB (16,384 bytes), last 7.07 KiB (7,242 bytes)')
    expect(out).toContain('Private:    yes')
    expect(out).toContain('Created:    2023-11-14T22:13:20.000Z')
    expect(out).toContain('Created by: —')
    // A comment cannot break the layout or send terminal escapes.
    expect(out).toContain('Comment:    line one\\u000aline two')
    expect(out).toContain('  tier 1  udp://a.example:1337')
    expect(out).toContain('  tier 2  http://b.example/announce')
    expect(out).toContain('  https://seed.example/')
    expect(out).toMatch(/ 39.1 KiB +40000 +0 +0-2 +album\/cd1\/a\.flac/)
    expect(out).toMatch(/ 10 B +10 +40000 +2 +album\/b\.txt/)
    expect(out).not.toContain('Piece hashes:')
    expect(out.split('\n').every((l) => [...l].every((c) => c >= ' '))).toBe(true)
  })

  it('lists every piece hash with --pieces', () => {
    const meta = decodeTorrentFile(multi.torrentBuffer).meta
    const out = formatInfo(meta, { pieces: true })
    for (const [i, h] of meta.pieceHashes.entries()) expect(out).toContain(`  ${i}  ${h}`)
  })

  it('shows warnings', () => {
    const meta = { ...decodeTorrentFile(single.torrentBuffer).meta, warnings: ['name changed'] }
    expect(formatInfo(meta, { pieces: false })).toContain('Warnings:\n  name changed')
  })
})

describe('runInfo', () => {
  it('describes a magnet link or a bare info hash', async () => {
    const text = await runInfo(`magnet:?xt=urn:btih:${HEX}&dn=Thing&tr=udp://t.example:1`, {
      json: false,
      pieces: false,
    })
    expect(text).toContain(`Info hash: ${HEX}`)
    expect(text).toContain('Name:      Thing')
    expect(text).toContain('  udp://t.example:1')
    const json = JSON.parse(await runInfo(HEX.toUpperCase(), { json: true, pieces: false }))
    expect(json).toMatchObject({ infoHash: HEX, name: null, trackers: [] })
  })

  it('reads a file even when its name looks like an info hash', async () => {
    const cwdFile = path.join(dir, HEX)
    await writeFile(cwdFile, single.torrentBuffer)
    const json = JSON.parse(await runInfo(cwdFile, { json: true, pieces: false }))
    expect(json.infoHash).toBe(single.infoHash)
  })

  it('rejects a missing file, a folder, garbage and an oversized file with MetaInfoError', async () => {
    await expect(
      runInfo(path.join(dir, 'nope.torrent'), { json: false, pieces: false }),
    ).rejects.toThrow(/cannot read .*nope\.torrent: no such file/)
    await expect(runInfo(dir, { json: false, pieces: false })).rejects.toThrow(/not a file/)
    const garbage = path.join(dir, 'garbage.torrent')
    await writeFile(garbage, 'hello')
    await expect(runInfo(garbage, { json: false, pieces: false })).rejects.toThrow(MetaInfoError)
    // Sparse: 11 MB on paper, nothing on disk; rejected from its size alone.
    const huge = path.join(dir, 'huge.torrent')
    await writeFile(huge, '')
    await truncate(huge, 11 * 1024 * 1024)
    await expect(runInfo(huge, { json: false, pieces: false })).rejects.toThrow(/larger than 10 MB/)
    await expect(
      runInfo('magnet:?xt=urn:btmh:1220aa', { json: false, pieces: false }),
    ).rejects.toThrow(/v2-only magnet links/)
  })
})
