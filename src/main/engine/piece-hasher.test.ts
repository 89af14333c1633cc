import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashFiles as referenceHashes } from '../../../test/support/torrent-builder'
import { seededBytes } from '../../../test/support/test-data'
import { MetaInfoError } from './metainfo'
import { hashFiles } from './piece-hasher'
import type { HashSource } from './piece-hasher'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'seedling-hasher-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function writeFiles(name: string, sizes: number[]): Promise<HashSource[]> {
  return Promise.all(
    sizes.map(async (size, i) => {
      const absolute = path.join(dir, `${name}-${i}.bin`)
      await writeFile(absolute, seededBytes(size, name, String(i)))
      return { absolute, length: size }
    }),
  )
}

// Pieces across file ends, empty files, jobs of one piece or several, pieces longer than a read
// (1 MiB): on this thread and on worker threads, the creator must give the reference builder's bytes.
describe('hashFiles', () => {
  const layouts: { name: string; sizes: number[]; pieceLength: number; jobLength: number }[] = [
    {
      name: 'spans',
      sizes: [5000, 0, 40_000, 1, 30_000, 70_000],
      pieceLength: 16384,
      jobLength: 1,
    },
    {
      name: 'jobs',
      sizes: [5000, 0, 40_000, 1, 30_000, 70_000],
      pieceLength: 32768,
      jobLength: 3 * 32768,
    },
    { name: 'exact', sizes: [65536, 65536], pieceLength: 16384, jobLength: 65536 },
    {
      name: 'long',
      sizes: [3 * 1024 * 1024 + 7, 1024 * 1024 - 7],
      pieceLength: 2 * 1024 * 1024,
      jobLength: 1,
    },
  ]
  for (const { name, sizes, pieceLength, jobLength } of layouts) {
    for (const threads of [0, 2]) {
      it(`${name}, ${threads} threads`, async () => {
        const files = await writeFiles(`${name}-${threads}`, sizes)
        const total = sizes.reduce((a, b) => a + b, 0)
        const progress: number[] = []
        const pieces = await hashFiles(files, pieceLength, {
          threads,
          jobLength,
          onProgress: (done, all) => {
            expect(all).toBe(total)
            progress.push(done)
          },
        })
        const expected = await referenceHashes(
          files.map((f) => f.absolute),
          pieceLength,
        )
        expect(Buffer.from(pieces).equals(Buffer.from(expected))).toBe(true)
        expect(progress).toEqual([...progress].sort((a, b) => a - b))
        expect(progress.at(-1)).toBe(total)
      })
    }
  }

  for (const threads of [0, 2]) {
    it(`says a file that shrank changed while it was hashed (${threads} threads)`, async () => {
      const [file] = await writeFiles(`shrank-${threads}`, [50_000])
      const claimed = [{ absolute: file!.absolute, length: 100_000 }]
      const err = await hashFiles(claimed, 16384, { threads, jobLength: 16384 }).catch((e) => e)
      expect(err).toBeInstanceOf(MetaInfoError)
      expect((err as Error).message).toBe(`${file!.absolute} changed while it was hashed`)
    })

    it(`passes on a missing file's error code (${threads} threads)`, async () => {
      const missing = [{ absolute: path.join(dir, 'missing.bin'), length: 10 }]
      await expect(hashFiles(missing, 16384, { threads })).rejects.toMatchObject({
        code: 'ENOENT',
      })
    })
  }
})
