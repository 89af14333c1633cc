import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { seededBytes } from '../../../test/support/test-data'
import { SeedlingChunkStore } from './chunk-store'
import { HashPool, hashHere } from './hash-pool'
import type { HashJob } from './hash-worker'
import type { Hasher, VerifyOptions } from './pool-verify'

const PIECE = 16384
// A file ending mid-piece, an empty file, a BEP 47 pad up to the next piece, a 7-byte file inside a
// piece, and a short last piece: 11 pieces.
const FILES = [
  { path: 't/a.bin', length: 40_000 },
  { path: 't/empty', length: 0 },
  { path: 't/.pad/9152', length: 9152 },
  { path: 't/b.bin', length: 100_000 },
  { path: 't/c.bin', length: 7 },
  { path: 't/d.bin', length: 30_000 },
]
const PAD = [2]

let root: string
let dl: string
let pool: HashPool
const opened: SeedlingChunkStore[] = []

beforeAll(() => {
  pool = new HashPool(2)
})
afterAll(async () => {
  await pool.close()
})
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'seedling-verify-'))
  dl = path.join(root, 'dl')
  await fs.mkdir(dl)
})
afterEach(async () => {
  for (const s of opened.splice(0)) await new Promise((r) => s.close(r))
  await fs.rm(root, { recursive: true, force: true })
})

interface Layout {
  store: SeedlingChunkStore
  hashes: string[]
  /** Where each file starts in the torrent's bytes. */
  offsets: number[]
}

/** Writes the files (never the pads) and returns a store over them with the right piece hashes. */
async function setUp(files = FILES, padding = PAD): Promise<Layout> {
  const parts: Buffer[] = []
  const offsets: number[] = []
  let offset = 0
  for (const [i, f] of files.entries()) {
    const data = padding.includes(i) ? Buffer.alloc(f.length) : seededBytes(f.length, f.path)
    if (!padding.includes(i)) {
      await fs.mkdir(path.dirname(path.join(dl, f.path)), { recursive: true })
      await fs.writeFile(path.join(dl, f.path), data)
    }
    parts.push(data)
    offsets.push(offset)
    offset += f.length
  }
  const all = Buffer.concat(parts)
  const hashes: string[] = []
  for (let at = 0; at < all.length; at += PIECE) {
    hashes.push(
      createHash('sha1')
        .update(all.subarray(at, at + PIECE))
        .digest('hex'),
    )
  }
  const store = new SeedlingChunkStore(PIECE, { path: dl, files, length: all.length, padding })
  opened.push(store)
  return { store, hashes, offsets }
}

interface Outcome {
  results: Map<number, boolean>
  /** How often each piece was reported. */
  reports: number[]
  /** Pieces checked singly, through the store's get() as webtorrent's _verifyPiece does. */
  singly: number[]
}

async function verify(
  { store, hashes }: Layout,
  opts: VerifyOptions,
  pieces: number[] = hashes.map((_, i) => i),
): Promise<Outcome> {
  const out: Outcome = { results: new Map(), reports: hashes.map(() => 0), singly: [] }
  const verifyOne = (piece: number): Promise<boolean> => {
    out.singly.push(piece)
    return new Promise((resolve) =>
      store.get(piece, (err, buf) =>
        resolve(!err && createHash('sha1').update(buf!).digest('hex') === hashes[piece]),
      ),
    )
  }
  const onPiece = (piece: number, ok: boolean): void => {
    out.results.set(piece, ok)
    out.reports[piece]!++
  }
  await store.verifyPieces(pieces, hashes, verifyOne, onPiece, opts)
  return out
}

/** Pieces holding any of bytes [from, to) of the torrent. */
function piecesOf(from: number, to: number): number[] {
  const out: number[] = []
  for (let p = Math.floor(from / PIECE); p * PIECE < to; p++) out.push(p)
  return out
}

function failed(out: Outcome): number[] {
  return [...out.results].filter(([, ok]) => !ok).map(([p]) => p)
}

describe('verifyPieces (chunk store on the hashing threads)', () => {
  for (const [name, threads] of [
    ['this thread', null],
    ['two threads', 'pool'],
  ] as const) {
    it(`verifies pieces across file ends, an empty file and a pad file, on ${name}`, async () => {
      const layout = await setUp()
      for (const jobLength of [PIECE, 3 * PIECE, 64 * PIECE]) {
        const out = await verify(layout, { pool: threads ? pool : null, jobLength })
        expect(out.reports).toEqual(layout.hashes.map(() => 1))
        expect(failed(out)).toEqual([])
        expect(out.singly).toEqual([])
      }
      // Padding is zeros by definition: never created on disk to be read.
      await expect(fs.stat(path.join(dl, 't/.pad/9152'))).rejects.toThrow()
    })
  }

  it('fails only the piece holding a corrupted byte', async () => {
    const layout = await setUp()
    const at = 60_000 - layout.offsets[3]!
    const h = await fs.open(path.join(dl, 't/b.bin'), 'r+')
    await h.write(Buffer.from([0xff ^ seededBytes(at + 1, 't/b.bin')[at]!]), 0, 1, at)
    await h.close()
    const out = await verify(layout, { pool, jobLength: 4 * PIECE })
    expect(failed(out)).toEqual([Math.floor(60_000 / PIECE)])
    expect(out.singly).toEqual([])
  })

  it('fails only the pieces of a missing file, checking the rest of their runs singly', async () => {
    const layout = await setUp()
    await fs.rm(path.join(dl, 't/b.bin'))
    const out = await verify(layout, { pool, jobLength: 4 * PIECE })
    const bPieces = piecesOf(layout.offsets[3]!, layout.offsets[3]! + 100_000)
    expect(failed(out).sort((a, b) => a - b)).toEqual(bPieces)
    expect(out.reports).toEqual(layout.hashes.map(() => 1))
    // Jobs of four pieces: pieces 0-3, 4-7 and 8-10 each touch b.bin.
    expect(out.singly.sort((a, b) => a - b)).toEqual(layout.hashes.map((_, i) => i))
  })

  it('fails the pieces past the end of a file cut short and keeps those before it', async () => {
    const layout = await setUp()
    await fs.truncate(path.join(dl, 't/d.bin'), 10_000)
    const out = await verify(layout, { pool, jobLength: 64 * PIECE })
    const cut = layout.offsets[5]! + 10_000
    expect(failed(out)).toEqual(piecesOf(cut, layout.offsets[5]! + 30_000))
  })

  it('never reads through a link put where a file was, even to identical bytes', async () => {
    const layout = await setUp()
    const outside = path.join(root, 'outside.bin')
    await fs.rename(path.join(dl, 't/c.bin'), outside)
    await fs.symlink(outside, path.join(dl, 't/c.bin'))
    const out = await verify(layout, { pool, jobLength: 64 * PIECE })
    expect(failed(out)).toEqual(piecesOf(layout.offsets[4]!, layout.offsets[4]! + 7))
  })

  it('reports each piece once whatever the order and repeats it is asked in', async () => {
    const layout = await setUp()
    const out = await verify(layout, { pool, jobLength: 2 * PIECE }, [9, 3, 3, 0, 10, 4, 9, 1])
    expect([...out.results.keys()].sort((a, b) => a - b)).toEqual([0, 1, 3, 4, 9, 10])
    expect(out.reports.reduce((a, b) => a + b, 0)).toBe(6)
    expect(failed(out)).toEqual([])
  })

  it('checks a piece over more files than a job may hold open singly', async () => {
    const files = Array.from({ length: 12 }, (_, i) => ({ path: `m/${i}.bin`, length: 1000 }))
    const layout = await setUp([...files, { path: 'm/big.bin', length: 3 * PIECE }], [])
    const out = await verify(layout, { pool, jobLength: 64 * PIECE })
    expect(out.singly).toEqual([0])
    expect(failed(out)).toEqual([])
  })

  /** A pool of `size` threads whose jobs take `ms` longer, counting the most in flight at once. */
  function slowPool(size: number, ms: number): Hasher & { most: number } {
    let inFlight = 0
    const slow = {
      size,
      most: 0,
      hash: async (job: HashJob) => {
        slow.most = Math.max(slow.most, ++inFlight)
        await new Promise((r) => setTimeout(r, ms))
        inFlight--
        return hashHere(job)
      },
    }
    return slow
  }

  it('keeps at most two jobs per thread in flight', async () => {
    const layout = await setUp()
    const slow = slowPool(2, 5)
    const out = await verify(layout, { pool: slow, jobLength: PIECE })
    expect(slow.most).toBe(4)
    expect(failed(out)).toEqual([])
  })

  it('ends the check with the error of a piece checked singly', async () => {
    const layout = await setUp()
    await fs.rm(path.join(dl, 't/a.bin'))
    const gone = new Error('torrent is destroyed')
    const check = layout.store.verifyPieces(
      layout.hashes.map((_, i) => i),
      layout.hashes,
      () => Promise.reject(gone),
      () => undefined,
      { pool, jobLength: PIECE },
    )
    await expect(check).rejects.toBe(gone)
  })

  it('closes only after a running check has settled, which then stops reading', async () => {
    const layout = await setUp()
    const order: string[] = []
    let closing: Promise<void> | null = null
    // Closed as the first job starts hashing, as webtorrent closes the store of a torrent removed
    // while it is checked.
    const hasher: Hasher = {
      size: 1,
      hash: async (job: HashJob) => {
        closing ??= new Promise((r) => layout.store.close(r)).then(() => void order.push('closed'))
        await new Promise((r) => setTimeout(r, 20))
        return hashHere(job)
      },
    }
    const out = await verify(layout, { pool: hasher, jobLength: PIECE })
    order.push('check')
    await closing
    expect(order).toEqual(['check', 'closed'])
    expect(out.results.get(0)).toBe(true)
    // Jobs not yet started when it closed could no longer be read (one may have started already).
    expect(failed(out)).toEqual(expect.arrayContaining(layout.hashes.map((_, i) => i).slice(2)))
  })
})
