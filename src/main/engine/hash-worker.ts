/**
 * Reading and hashing one job: a piece-aligned range of the files, read in blocks and SHA-1'd piece by
 * piece. It runs in each worker thread of hash-pool.ts, and on the calling thread for small inputs.
 *
 * Each worker reads its own ranges so the bytes it hashes are still in its core's cache: reading on one
 * thread and hashing on others cost ~25% more CPU (every byte crossed cores) and ~35% more time.
 *
 * The worker starts from source text (`new Worker(source, { eval: true })`) rather than from a file:
 * the app (electron-vite chunks in out/main), the CLI bundle (out/cli) and tests (TypeScript under
 * vitest) would each need the worker file at a different path with a different extension, and a
 * missing one would only show at run time.
 */
import type * as Crypto from 'node:crypto'
import type * as Fs from 'node:fs'

/** Part of one file. */
export interface Segment {
  /** Opened and closed by the job unless `fd` is given; named in errors either way. */
  path: string
  /** A descriptor the caller holds open until the job has answered (threads share descriptors). */
  fd?: number
  /** BEP 47 padding: zeros by definition, never read. */
  zeros?: boolean
  position: number
  length: number
}

/**
 * Consecutive bytes of the files as one stream: whole pieces, except that the last job may end in a
 * short last piece.
 */
export interface HashJob {
  segments: Segment[]
  pieceLength: number
}

/** A worker's answer: 20 bytes of SHA-1 per piece, or why the job failed. */
export type HashReply =
  { digests: Uint8Array } | { error: { message: string; code?: string; changed: boolean } }

export interface Sha1Stream {
  update(data: Uint8Array): unknown
  digest(): Uint8Array
}

export interface HashIo {
  open(path: string): number
  read(fd: number, target: Uint8Array, offset: number, length: number, position: number): number
  close(fd: number): void
  sha1(data: Uint8Array): Uint8Array
  sha1Stream(): Sha1Stream
}

/** The largest read, which keeps what was read in the core's cache while it is hashed. */
export const BLOCK_LENGTH = 1024 * 1024

/**
 * SHA-1 of each piece of a job, reading into `buffer`. Workers run it from its source text, so it must
 * stay self-contained: no imports and no names from outside its body (I/O and hashing come in `io`).
 * A file that ends early throws an error with `changed: true`.
 */
export function hashJob(job: HashJob, io: HashIo, buffer: Uint8Array): Uint8Array {
  const pieceLength = job.pieceLength
  let total = 0
  for (const s of job.segments) total += s.length
  const digests = new Uint8Array(Math.ceil(total / pieceLength) * 20)
  let piece = 0
  let inPiece = 0
  // Only for a piece that spans reads (a long piece, or one across two files).
  let stream: Sha1Stream | null = null
  for (const segment of job.segments) {
    const owned = segment.fd === undefined && !segment.zeros
    const fd = segment.fd ?? (owned ? io.open(segment.path) : -1)
    try {
      for (let done = 0; done < segment.length;) {
        // Reads end on piece boundaries when they can, so most pieces are hashed in one call.
        const toBoundary = pieceLength - inPiece
        const aligned =
          toBoundary <= buffer.length
            ? toBoundary + Math.floor((buffer.length - toBoundary) / pieceLength) * pieceLength
            : buffer.length
        const want = Math.min(aligned, segment.length - done)
        let n = want
        if (segment.zeros) buffer.fill(0, 0, want)
        else n = io.read(fd, buffer, 0, want, segment.position + done)
        if (n === 0) {
          throw Object.assign(new Error(`${segment.path} changed while it was hashed`), {
            changed: true,
          })
        }
        done += n
        for (let at = 0; at < n;) {
          const take = Math.min(pieceLength - inPiece, n - at)
          const data = buffer.subarray(at, at + take)
          at += take
          if (inPiece === 0 && take === pieceLength) {
            digests.set(io.sha1(data), piece++ * 20)
            continue
          }
          if (stream === null) stream = io.sha1Stream()
          stream.update(data)
          inPiece += take
          if (inPiece === pieceLength) {
            digests.set(stream.digest(), piece++ * 20)
            stream = null
            inPiece = 0
          }
        }
      }
    } finally {
      if (owned) io.close(fd)
    }
  }
  if (stream !== null) digests.set(stream.digest(), piece * 20)
  return digests
}

/** Node's file and hash functions as hashJob wants them; self-contained like hashJob. */
export function nodeHashIo(fs: typeof Fs, crypto: typeof Crypto): HashIo {
  return {
    open: (path) => fs.openSync(path, 'r'),
    read: (fd, target, offset, length, position) =>
      fs.readSync(fd, target, offset, length, position),
    close: (fd) => fs.closeSync(fd),
    sha1: (data) => crypto.hash('sha1', data, 'buffer'),
    sha1Stream: () => crypto.createHash('sha1'),
  }
}

/** The worker: answers each job with its digests (transferred) or the reason it failed. */
export const HASH_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
// esbuild's keepNames (tsx) wraps functions in __name(); the copied source needs it defined.
const __name = (fn) => fn
const hashJob = ${hashJob.toString()}
const io = (${nodeHashIo.toString()})(require('node:fs'), require('node:crypto'))
const buffer = new Uint8Array(${BLOCK_LENGTH})
parentPort.on('message', (job) => {
  try {
    const digests = hashJob(job, io, buffer)
    parentPort.postMessage({ digests }, [digests.buffer])
  } catch (err) {
    const error = { message: String(err && err.message), code: err && err.code, changed: Boolean(err && err.changed) }
    parentPort.postMessage({ error })
  }
})
`
