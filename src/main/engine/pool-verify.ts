/**
 * Verifying data already on disk (a torrent's first check, a recheck, the pieces resume data cannot
 * vouch for): runs of consecutive pieces are read in long sequential reads and hashed on the hashing
 * threads of hash-pool.ts, which read through descriptors the chunk store opened (safe-open.ts) and
 * holds open meanwhile, so the bytes never cross threads and no thread opens a path on its own.
 * webtorrent read each piece through the store and hashed it on the main thread, two at a time: a
 * recheck of 1 GiB took 1.65x transmission's (bench/README.md).
 *
 * A run that cannot be read whole (a file missing or shorter than the torrent says, a read error, the
 * threads gone) is verified again piece by piece with `verifyOne`, the store's ordinary read, so one
 * absent file costs only its own pieces. A piece over more files than a job may hold open goes that
 * way from the start.
 */
import { availableParallelism } from 'node:os'
import { HashPool, hashHere } from './hash-pool'
import type { HashJob, HashReply, Segment } from './hash-worker'

/** Bytes per job, rounded down to whole pieces (at least one). */
const JOB_LENGTH = 8 * 1024 * 1024
/** On this thread a job blocks the event loop while it reads and hashes: a few ms at most. */
const HERE_JOB_LENGTH = 1024 * 1024
/** Descriptors one job holds: many jobs over thousands of tiny files must not open them all. */
const MAX_JOB_FILES = 8
/** Below this, hashing here is about as fast as starting threads (~40 ms for two) to share it. */
const MIN_PARALLEL_BYTES = 64 * 1024 * 1024
/** The shared threads outlive a check this long, for the next torrent's check at a session start. */
const POOL_IDLE_MS = 10_000

/** A piece's slice of one file: bytes [from, to) of the piece are at `offset` in the file. */
export interface PiecePart {
  file: number
  from: number
  to: number
  offset: number
}

export interface VerifyLayout {
  pieceLength: number
  pieceCount: number
  /** The last piece's length (the others are `pieceLength`). */
  lastPieceLength: number
  parts(piece: number): readonly PiecePart[]
  /** For error messages only: descriptors come from `withFiles`. */
  path(file: number): string
  /** BEP 47 padding files are zeros and never opened. */
  isPad(file: number): boolean
  /** Runs `fn` with a descriptor per file, each held open until `fn` settles. */
  withFiles<T>(files: readonly number[], fn: (fds: readonly number[]) => Promise<T>): Promise<T>
}

/** What a check needs of a HashPool. */
export type Hasher = Pick<HashPool, 'size' | 'hash'>

export interface VerifyOptions {
  /** Hashing threads; null hashes on this thread. Default: the shared pool, or this thread when
   * the pieces add up to less than MIN_PARALLEL_BYTES. */
  pool?: Hasher | null
  jobLength?: number
}

/** Consecutive pieces read and hashed as one job; `files` are the non-padding files it reads. */
interface Run {
  first: number
  count: number
  bytes: number
  files: number[]
}

/**
 * Verifies `pieces` (in any order) against `hashes` (hex SHA-1, by piece index) and reports each
 * once through `onPiece`. Rejects only when `verifyOne` does (webtorrent's, once the torrent is gone).
 */
export async function verifyPieces(
  layout: VerifyLayout,
  pieces: readonly number[],
  hashes: readonly string[],
  verifyOne: (piece: number) => Promise<boolean>,
  onPiece: (piece: number, ok: boolean) => void,
  opts: VerifyOptions = {},
): Promise<void> {
  const sorted = [...new Set(pieces)].sort((a, b) => a - b)
  const bytes = sorted.reduce((n, p) => n + pieceSize(layout, p), 0)
  const shared =
    opts.pool === undefined && bytes >= MIN_PARALLEL_BYTES ? sharedPool.acquire() : null
  const pool = opts.pool === undefined ? shared : opts.pool
  const run = pool ? (job: HashJob) => pool.hash(job) : hashHere
  const jobLength =
    layout.pieceLength *
    Math.max(
      1,
      Math.floor((opts.jobLength ?? (pool ? JOB_LENGTH : HERE_JOB_LENGTH)) / layout.pieceLength),
    )
  const verifySingly = async (first: number, count: number): Promise<void> => {
    for (let p = first; p < first + count; p++) onPiece(p, await verifyOne(p))
  }
  const runJob = async (r: Run): Promise<void> => {
    const reply = await layout
      .withFiles(r.files, (fds) => run(jobOf(layout, r, fds)))
      .catch((): HashReply | null => null)
    if (!reply || !('digests' in reply)) return verifySingly(r.first, r.count)
    const digests = Buffer.from(reply.digests.buffer, reply.digests.byteOffset, r.count * 20)
    for (let i = 0; i < r.count; i++) {
      onPiece(r.first + i, digests.toString('hex', i * 20, i * 20 + 20) === hashes[r.first + i])
    }
  }
  const maxWaiting = 2 * Math.max(1, pool?.size ?? 1)
  const waiting = new Set<Promise<void>>()
  const failures: unknown[] = []
  try {
    for (const r of runs(layout, sorted, jobLength)) {
      while (waiting.size >= maxWaiting) await Promise.race(waiting)
      if (failures.length > 0) break
      const task = (
        r.files.length > MAX_JOB_FILES ? verifySingly(r.first, r.count) : runJob(r)
      ).catch((err: unknown) => void failures.push(err))
      const tracked = task.finally(() => waiting.delete(tracked))
      waiting.add(tracked)
    }
    await Promise.all(waiting)
  } finally {
    if (shared) sharedPool.release()
  }
  if (failures.length > 0) throw failures[0]
}

function pieceSize(layout: VerifyLayout, piece: number): number {
  return piece === layout.pieceCount - 1 ? layout.lastPieceLength : layout.pieceLength
}

function filesOf(layout: VerifyLayout, piece: number): number[] {
  return layout
    .parts(piece)
    .flatMap((t) => (t.to > t.from && !layout.isPad(t.file) ? [t.file] : []))
}

/**
 * Cuts sorted pieces into runs of consecutive pieces of at most `jobLength` bytes and MAX_JOB_FILES
 * files; a piece over more files than that is a run of its own (verified singly).
 */
function* runs(layout: VerifyLayout, sorted: readonly number[], jobLength: number): Generator<Run> {
  let current: Run | null = null
  for (const piece of sorted) {
    const size = pieceSize(layout, piece)
    const files = filesOf(layout, piece)
    if (current) {
      const joined = [...new Set([...current.files, ...files])]
      const fits =
        piece === current.first + current.count &&
        current.bytes + size <= jobLength &&
        joined.length <= MAX_JOB_FILES
      if (fits) {
        current.count++
        current.bytes += size
        current.files = joined
        continue
      }
      yield current
    }
    current = { first: piece, count: 1, bytes: size, files }
  }
  if (current) yield current
}

/** The job for a run: its pieces' parts in order, adjacent parts of one file merged. */
function jobOf(layout: VerifyLayout, r: Run, fds: readonly number[]): HashJob {
  const segments: Segment[] = []
  let last: Segment | null = null
  let lastFile = -1
  for (let p = r.first; p < r.first + r.count; p++) {
    for (const t of layout.parts(p)) {
      const length = t.to - t.from
      if (length === 0) continue
      if (last && lastFile === t.file && last.position + last.length === t.offset) {
        last.length += length
        continue
      }
      last = { path: layout.path(t.file), position: t.offset, length }
      if (layout.isPad(t.file)) last.zeros = true
      else last.fd = fds[r.files.indexOf(t.file)]!
      lastFile = t.file
      segments.push(last)
    }
  }
  return { segments, pieceLength: layout.pieceLength }
}

/**
 * One set of hashing threads for every check: torrents checked at a session's start share it, and it
 * closes once no check has used it for POOL_IDLE_MS.
 */
class SharedPool {
  private pool: HashPool | null = null
  private users = 0
  private idle: NodeJS.Timeout | null = null

  acquire(): HashPool {
    if (this.idle) clearTimeout(this.idle)
    this.idle = null
    this.users++
    this.pool ??= new HashPool(availableParallelism())
    return this.pool
  }

  release(): void {
    if (--this.users > 0) return
    this.idle = setTimeout(() => {
      this.idle = null
      void this.pool?.close()
      this.pool = null
    }, POOL_IDLE_MS)
    this.idle.unref()
  }
}

const sharedPool = new SharedPool()
