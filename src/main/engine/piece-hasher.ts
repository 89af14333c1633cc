/**
 * SHA-1 of every piece of files taken end to end, as a .torrent's `pieces`. The stream is cut into
 * jobs of whole pieces (a piece may span files); each job is read and hashed by a thread of a
 * HashPool, on all cores, or on this thread when the input is too small to repay starting threads.
 * Jobs go out in file order and at most two per thread wait, so reads stay close to sequential and
 * memory stays at one read buffer per thread.
 */
import { availableParallelism } from 'node:os'
import { HashPool, hashHere } from './hash-pool'
import type { HashJob, HashReply, Segment } from './hash-worker'
import { MetaInfoError } from './metainfo'

const JOB_LENGTH = 8 * 1024 * 1024
/** Below this, hashing here is about as fast as starting threads (~40 ms for two) to share it. */
const MIN_PARALLEL_BYTES = 64 * 1024 * 1024

export interface HashSource {
  absolute: string
  length: number
}

export interface HashFilesOptions {
  onProgress?: (hashedBytes: number, totalBytes: number) => void
  /** Hashing threads; 0 hashes on this thread. Default: one per core, or 0 for a small input. */
  threads?: number
  /** Bytes per job, rounded down to whole pieces (at least one). */
  jobLength?: number
}

export async function hashFiles(
  files: HashSource[],
  pieceLength: number,
  opts: HashFilesOptions = {},
): Promise<Uint8Array> {
  const total = files.reduce((n, f) => n + f.length, 0)
  const pieces = new Uint8Array(Math.ceil(total / pieceLength) * 20)
  const jobLength =
    pieceLength * Math.max(1, Math.floor((opts.jobLength ?? JOB_LENGTH) / pieceLength))
  const threads = opts.threads ?? (total >= MIN_PARALLEL_BYTES ? availableParallelism() : 0)
  const pool = threads > 0 ? new HashPool(threads) : null
  const run = pool ? (job: HashJob) => pool.hash(job) : hashHere
  const maxWaiting = 2 * Math.max(1, threads)
  const waiting = new Set<Promise<void>>()
  // The first job that failed; the ones after it fail for the same reason or because the pool closed.
  const failures: unknown[] = []
  let hashed = 0
  try {
    for (const { segments, start, length } of jobs(files, jobLength)) {
      while (waiting.size >= maxWaiting) await Promise.race(waiting)
      if (failures.length > 0) break
      const job = run({ segments, pieceLength })
        .then((reply) => {
          pieces.set(digestsOf(reply), (start / pieceLength) * 20)
          hashed += length
          opts.onProgress?.(hashed, total)
        })
        .catch((err: unknown) => void failures.push(err))
      const tracked = job.finally(() => waiting.delete(tracked))
      waiting.add(tracked)
    }
    await Promise.all(waiting)
    if (failures.length > 0) throw failures[0]
    return pieces
  } finally {
    await pool?.close()
  }
}

/** Cuts the files, taken end to end, into jobs of `jobLength` bytes. */
function* jobs(
  files: HashSource[],
  jobLength: number,
): Generator<{ segments: Segment[]; start: number; length: number }> {
  let segments: Segment[] = []
  let start = 0
  let length = 0
  for (const file of files) {
    for (let position = 0; position < file.length;) {
      const take = Math.min(jobLength - length, file.length - position)
      segments.push({ path: file.absolute, position, length: take })
      position += take
      length += take
      if (length === jobLength) {
        yield { segments, start, length }
        start += length
        segments = []
        length = 0
      }
    }
  }
  if (length > 0) yield { segments, start, length }
}

function digestsOf(reply: HashReply): Uint8Array {
  if ('digests' in reply) return reply.digests
  const { message, code, changed } = reply.error
  if (changed) throw new MetaInfoError(message)
  throw Object.assign(new Error(message), code ? { code } : {})
}
