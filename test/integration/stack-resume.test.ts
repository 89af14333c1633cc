/**
 * Patch: webtorrent trusts resume data (`bitfield` + `fileModtimes`) only piece by piece, for pieces
 * whose files pass the modtime and size checks, and hashes (never trusts) otherwise
 * (patches/webtorrent+3.0.21.patch, Torrent#_verifyWithResumeData).
 *
 * Layout: res/a.bin = pieces 0-7, res/b.bin = pieces 8-11 (16 KiB pieces).
 */
import { open, rm, stat, truncate, utimes } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TorrentOptions } from 'webtorrent'
import { addReady, seed, StackFixture, verifiedPieces, withTimeout } from './helpers/stack'
import { seededBytes, writeContents } from '../support/test-data'

const PIECE = 16384
const fx = new StackFixture()
afterEach(() => fx.cleanup())

const ALL = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
const A_PIECES = [0, 1, 2, 3, 4, 5, 6, 7]
const B_PIECES = [8, 9, 10, 11]

interface Resume {
  dir: string
  torrentFile: Uint8Array
  bitfield: Uint8Array
  fileModtimes: Array<number | undefined>
  fileA: string
  fileB: string
}

/** Seeds res/ in a temp dir, records resume data as the engine would at a clean shutdown, stops. */
async function seedAndRecord(): Promise<Resume> {
  const dir = await fx.tempDir()
  await writeContents(dir, {
    'res/a.bin': seededBytes(8 * PIECE, 3),
    'res/b.bin': seededBytes(3 * PIECE + 500, 4),
  })
  const client = fx.client()
  const torrent = await seed(client, path.join(dir, 'res'), { path: dir, pieceLength: PIECE })
  expect(torrent.pieces.length).toBe(12)
  expect(verifiedPieces(torrent)).toEqual(ALL)
  const fileModtimes = await new Promise<Array<number | undefined>>((resolve, reject) =>
    torrent.getFileModtimes((err, m) => (err ? reject(err) : resolve(m))),
  )
  const bitfield = new Uint8Array(torrent.bitfield.buffer)
  const torrentFile = torrent.torrentFile
  await withTimeout(new Promise<void>((r) => client.destroy(() => r())), 10_000, 'destroy')
  return {
    dir,
    torrentFile,
    bitfield,
    fileModtimes,
    fileA: path.join(dir, 'res/a.bin'),
    fileB: path.join(dir, 'res/b.bin'),
  }
}

/** Restarts the torrent in a new client with the given resume options; resolves when verified. */
async function restart(r: Resume, opts: TorrentOptions) {
  const client = fx.client()
  return addReady(client, r.torrentFile, { path: r.dir, ...opts })
}

function bitfieldOf(pieces: number[], count = 12): Uint8Array {
  const out = new Uint8Array(Math.ceil(count / 8))
  for (const p of pieces) out[p >> 3]! |= 0x80 >> (p & 7)
  return out
}

/** Flips one byte of `file` at `offset`, then optionally restores its mtime. */
async function corrupt(file: string, offset: number, keepMtime: boolean): Promise<void> {
  const before = await stat(file)
  const fh = await open(file, 'r+')
  const b = new Uint8Array(1)
  await fh.read(b, 0, 1, offset)
  b[0] = b[0]! ^ 0xff
  await fh.write(b, 0, 1, offset)
  await fh.close()
  if (keepMtime) await utimes(file, before.atime, before.mtime)
  else await utimes(file, before.atime, new Date(before.mtime.getTime() + 5_000))
}

describe('webtorrent resume data (bitfield + fileModtimes)', () => {
  it('trusts exactly the bitfield, not every piece, when modtimes match', async () => {
    const r = await seedAndRecord()
    // a partial download: only pieces 0-3 and 8 were verified at shutdown
    const t = await restart(r, {
      bitfield: bitfieldOf([0, 1, 2, 3, 8]),
      fileModtimes: r.fileModtimes,
    })
    // unpatched: modtimes match => _markAllVerified() => all 12 pieces "verified", done
    expect(verifiedPieces(t)).toEqual([0, 1, 2, 3, 8])
    expect(t.done).toBe(false)
  })

  it('never trusts a file whose size changed (mtime restored)', async () => {
    const r = await seedAndRecord()
    const before = await stat(r.fileA)
    await truncate(r.fileA, 3 * PIECE + 100) // pieces 4-7 of a.bin are gone
    await utimes(r.fileA, before.atime, before.mtime)
    const t = await restart(r, { bitfield: r.bitfield, fileModtimes: r.fileModtimes })
    // unpatched: all verified. Patched: 0-2 are on disk and trusted; 3 (partial) and 4-7 are hashed
    // and fail; b.bin is untouched.
    expect(verifiedPieces(t)).toEqual([0, 1, 2, ...B_PIECES])
  })

  it('never trusts a missing file, even if its recorded modtime is also missing', async () => {
    const r = await seedAndRecord()
    await rm(r.fileB)
    // a stale record: b.bin's modtime unknown (undefined, as getFileModtimes reports a missing file)
    const t = await restart(r, {
      bitfield: r.bitfield,
      fileModtimes: [r.fileModtimes[0], undefined],
    })
    // unpatched: undefined === undefined counts as "unchanged" => every piece verified
    expect(verifiedPieces(t)).toEqual(A_PIECES)
  })

  it('hashes every piece of a file whose mtime changed (no spot check)', async () => {
    const r = await seedAndRecord()
    await corrupt(r.fileA, 5 * PIECE + 10, false) // piece 5, mtime changed
    const t = await restart(r, { bitfield: r.bitfield, fileModtimes: r.fileModtimes })
    // unpatched: only piece 1 of a.bin is hashed as a sample, so piece 5 stays "verified"
    expect(verifiedPieces(t)).toEqual(ALL.filter((p) => p !== 5))
  })

  it('hashes everything when there is a bitfield but no modtimes to check', async () => {
    const r = await seedAndRecord()
    await corrupt(r.fileA, 5 * PIECE + 10, true)
    const t = await restart(r, { bitfield: r.bitfield })
    // unpatched: spot check of piece 1 passes, piece 5 stays "verified"
    expect(verifiedPieces(t)).toEqual(ALL.filter((p) => p !== 5))
  })

  it('hashes everything when there are modtimes but no bitfield', async () => {
    const r = await seedAndRecord()
    await corrupt(r.fileA, 5 * PIECE + 10, true)
    const t = await restart(r, { fileModtimes: r.fileModtimes })
    // unpatched: modtimes match => every piece "verified" without reading a byte
    expect(verifiedPieces(t)).toEqual(ALL.filter((p) => p !== 5))
  })

  it('rejects resume data whose recorded sizes differ (fileSizes)', async () => {
    const r = await seedAndRecord()
    const sizes = [8 * PIECE, 3 * PIECE + 499] // b.bin recorded one byte shorter
    const t = await restart(r, {
      bitfield: r.bitfield,
      fileModtimes: r.fileModtimes,
      fileSizes: sizes,
    })
    // all data is in fact intact, so hashing b.bin verifies it; the point is that it was hashed
    expect(verifiedPieces(t)).toEqual(ALL)
    await new Promise<void>((res) => t.destroy({}, () => res()))
    await corrupt(r.fileB, 10, true) // piece 8, mtime and size kept
    const t2 = await restart(r, {
      bitfield: r.bitfield,
      fileModtimes: r.fileModtimes,
      fileSizes: sizes,
    })
    expect(verifiedPieces(t2)).toEqual([...A_PIECES, 9, 10, 11])
  })

  it('LIMIT: a corruption that preserves mtime and size is trusted with resume data', async () => {
    // Documents the guarantee's edge, not a patch: nothing short of hashing can see this, which is
    // why the engine passes bitfield + fileModtimes only after a clean shutdown.
    const r = await seedAndRecord()
    await corrupt(r.fileA, 5 * PIECE + 10, true)
    const trusted = await restart(r, { bitfield: r.bitfield, fileModtimes: r.fileModtimes })
    expect(verifiedPieces(trusted)).toEqual(ALL)
    // ...while a restart without resume data hashes and finds it
    await new Promise<void>((res) => trusted.destroy({}, () => res()))
    const rechecked = await restart(r, {})
    expect(verifiedPieces(rechecked)).toEqual(ALL.filter((p) => p !== 5))
  })
})
