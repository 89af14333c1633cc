/**
 * The one generator of test data for every suite and the bench: pseudo-random bytes, files and
 * trees that are identical on every run for the same seed, so a failure reproduces and two
 * suites (or a suite and a reference client) given the same seed get the same info hash.
 *
 * The bytes are an AES-128-CTR keystream keyed by sha256(seed, key): a seeded PRNG that runs at
 * GB/s, fast enough for the bench's gigabyte files. `key` tells apart the files of one seed.
 */
import { createCipheriv, createHash } from 'node:crypto'
import { mkdir, open, writeFile } from 'node:fs/promises'
import path from 'node:path'

export type Seed = string | number

export interface FileSpec {
  /** `/`-separated, relative to the tree's root. */
  path: string
  size: number
}

/** A stream of bytes for (seed, key): each call returns the next `n` bytes. */
export function seededStream(seed: Seed, key = ''): (n: number) => Buffer {
  const digest = createHash('sha256').update(`${seed}\0${key}`).digest()
  const cipher = createCipheriv('aes-128-ctr', digest.subarray(0, 16), digest.subarray(16, 32))
  // The keystream is the encryption of zeros.
  return (n) => cipher.update(Buffer.alloc(n))
}

/** The first `length` bytes of the stream for (seed, key): the same bytes a file of it holds. */
export function seededBytes(length: number, seed: Seed = 1, key = ''): Buffer {
  return seededStream(seed, key)(length)
}

const CHUNK = 4 * 1024 * 1024

/** Writes `size` seeded bytes to `file` (folders created) and returns their SHA-1, hex. */
export async function writeSeededFile(
  file: string,
  size: number,
  seed: Seed,
  key = '',
): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true })
  const next = seededStream(seed, key)
  const sha1 = createHash('sha1')
  const handle = await open(file, 'w')
  try {
    for (let left = size; left > 0;) {
      const chunk = next(Math.min(CHUNK, left))
      await handle.write(chunk)
      sha1.update(chunk)
      left -= chunk.length
    }
  } finally {
    await handle.close()
  }
  return sha1.digest('hex')
}

/**
 * Writes every file of `specs` below `root`, each keyed by its path (so files differ), and returns
 * their SHA-1 by path.
 */
export async function writeSeededTree(
  root: string,
  specs: readonly FileSpec[],
  seed: Seed,
): Promise<Map<string, string>> {
  const digests = new Map<string, string>()
  for (const spec of specs) {
    const file = path.join(root, ...spec.path.split('/'))
    digests.set(spec.path, await writeSeededFile(file, spec.size, seed, spec.path))
  }
  return digests
}

/** Writes given contents (relative path → bytes) under `root`, for tests that hold them in memory. */
export async function writeContents(
  root: string,
  files: Readonly<Record<string, Uint8Array>>,
): Promise<void> {
  for (const [rel, data] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'))
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, data)
  }
}

/** A multi-file layout with nested folders and a zero-byte file, about `totalMiB` MiB in all. */
export function sampleTree(totalMiB = 4): FileSpec[] {
  const total = Math.round(totalMiB * 1024 * 1024)
  return [
    { path: 'readme.txt', size: 1234 },
    { path: 'empty.bin', size: 0 },
    { path: 'a/one.bin', size: Math.floor(total * 0.4) + 17 },
    { path: 'a/b/two.bin', size: Math.floor(total * 0.3) - 5 },
    { path: 'a/b/c/three.bin', size: Math.floor(total * 0.2) + 1 },
    { path: 'z/last piece straddler.dat', size: Math.floor(total * 0.1) + 99_999 },
  ]
}
