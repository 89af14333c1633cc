/**
 * Seedling's chunk store, handed to webtorrent through its `store` option in place of
 * fs-chunk-store. It maps pieces onto the torrent's files like fs-chunk-store, but every file is
 * opened through safe-open.ts: strictly inside the download folder, never through a symbolic link or
 * junction, and never a folder or device. Open files are shared through a bounded LRU pool.
 *
 * BEP 47 padding files (`padding`, indices into `files`) hold zeros by definition: they are never
 * opened, created or deleted; writes to them are dropped and reads return zeros, so a piece that
 * spans padding still verifies.
 *
 * webtorrent calls it as `new Store(chunkLength, { path, files, length, addUID, ... })`, then
 * put/get/close/destroy with Node-style callbacks.
 */
import type { promises as fs } from 'node:fs'
import path from 'node:path'
import { FilePool } from './file-pool'
import type { OpenMode } from './safe-open'
import { findUnsafeEntrySync, openInside, removeInside } from './safe-open'
import type { VerifyLayout, VerifyOptions } from './pool-verify'
import { verifyPieces } from './pool-verify'
import { resolveInside, UnsafePathError } from './safe-path'

/** Open files per torrent: enough for the pieces in flight, and dozens of torrents stay far below
 * a typical limit of 1024 descriptors. */
const DEFAULT_MAX_OPEN_FILES = 16
const FILES_AT_ONCE = 4

interface StoreFileInput {
  path: string
  length: number
  offset?: number
}

export interface ChunkStoreOptions {
  /** The torrent's download folder (absolute). */
  path?: string
  files?: StoreFileInput[]
  length?: number
  addUID?: boolean
  maxOpenFiles?: number
  /** Indices of BEP 47 padding files in `files` (passed through webtorrent's `storeOpts`). */
  padding?: readonly number[]
}

interface StoreFile {
  /** Absolute; webtorrent's resume check stats these (see the `fileBacked` flag). */
  path: string
  length: number
  offset: number
  segments: string[]
  pad: boolean
}

/** A piece's slice of one file: bytes [from, to) of the piece are at `offset` in the file. */
interface Target {
  file: number
  from: number
  to: number
  offset: number
}

type Callback<T = void> = (err: Error | null, value?: T) => void

export class SeedlingChunkStore {
  /** Tells Seedling's webtorrent patch that `files[].path` are real files it may stat for resume. */
  static readonly fileBacked = true

  readonly chunkLength: number
  readonly length: number
  readonly files: StoreFile[]
  private readonly root: string
  private readonly chunkMap: Target[][] = []
  private readonly lastChunkLength: number
  private readonly lastChunkIndex: number
  private readonly pool: FilePool
  /** Files one piece touches at a time: a piece over thousands of tiny files must not open them all. */
  private readonly filesAtOnce: number
  private closed = false
  /** Checks running (verifyPieces): their threads read through descriptors close() must not pull. */
  private readonly verifying = new Set<Promise<void>>()

  constructor(chunkLength: number, opts: ChunkStoreOptions = {}) {
    this.chunkLength = Number(chunkLength)
    if (!Number.isSafeInteger(this.chunkLength) || this.chunkLength <= 0) {
      throw new Error(`invalid chunk length: ${chunkLength}`)
    }
    if (!opts.path || !path.isAbsolute(opts.path)) {
      throw new UnsafePathError('the chunk store needs an absolute download folder')
    }
    // Seedling never uses addUID; supporting it would add a folder name built by webtorrent.
    if (opts.addUID) throw new Error('the chunk store does not support addUID')
    if (!Array.isArray(opts.files)) throw new Error('the chunk store needs the torrent files')
    this.root = path.resolve(opts.path)
    let offset = 0
    const padding = new Set(opts.padding ?? [])
    this.files = opts.files.map((file, index) => {
      if (typeof file.path !== 'string') throw new Error('a torrent file has no path')
      if (!Number.isSafeInteger(file.length) || file.length < 0) {
        throw new Error(`invalid file length for ${file.path}`)
      }
      const start = file.offset ?? offset
      offset = start + file.length
      // Names are sanitized by Seedling's decoder and never hold a separator, so splitting on both
      // is exact; anything else (`..`, empty elements) is refused by resolveInside.
      const segments = file.path.split(/[\\/]/)
      return {
        path: resolveInside(this.root, segments),
        length: file.length,
        offset: start,
        segments,
        pad: padding.has(index),
      }
    })
    this.length = this.files.reduce((sum, f) => sum + f.length, 0)
    if (opts.length !== undefined && opts.length !== this.length) {
      throw new Error('the files do not add up to the torrent length')
    }
    const unsafe = findUnsafeEntrySync(
      this.root,
      this.files.filter((f) => !f.pad).map((f) => f.segments),
    )
    if (unsafe) throw unsafe
    this.lastChunkLength = this.length % this.chunkLength || this.chunkLength
    this.lastChunkIndex = Math.ceil(this.length / this.chunkLength) - 1
    this.buildChunkMap()
    this.pool = new FilePool(opts.maxOpenFiles ?? DEFAULT_MAX_OPEN_FILES)
    this.filesAtOnce = Math.min(FILES_AT_ONCE, opts.maxOpenFiles ?? DEFAULT_MAX_OPEN_FILES)
  }

  private buildChunkMap(): void {
    this.files.forEach((file, index) => {
      if (file.length === 0) {
        // Written (created) with the piece it sits at, as nothing is ever read from it.
        const p = Math.min(Math.floor(file.offset / this.chunkLength), this.lastChunkIndex)
        if (p < 0) return
        const at = file.offset - p * this.chunkLength
        ;(this.chunkMap[p] ??= []).push({ file: index, from: at, to: at, offset: 0 })
        return
      }
      const fileEnd = file.offset + file.length
      const first = Math.floor(file.offset / this.chunkLength)
      const last = Math.floor((fileEnd - 1) / this.chunkLength)
      for (let p = first; p <= last; p++) {
        const chunkStart = p * this.chunkLength
        const from = Math.max(file.offset, chunkStart) - chunkStart
        const to = Math.min(fileEnd, chunkStart + this.chunkLength) - chunkStart
        ;(this.chunkMap[p] ??= []).push({
          file: index,
          from,
          to,
          offset: chunkStart + from - file.offset,
        })
      }
    })
  }

  private chunkSize(index: number): number {
    return index === this.lastChunkIndex ? this.lastChunkLength : this.chunkLength
  }

  put(index: number, buf: Uint8Array, cb: Callback = () => undefined): void {
    if (this.closed) return defer(cb, new Error('Storage is closed'))
    const targets = this.chunkMap[index]
    if (!targets) return defer(cb, new Error(`no file holds piece ${index}`))
    if (buf.length !== this.chunkSize(index)) {
      return defer(cb, new Error(`piece ${index} must be ${this.chunkSize(index)} bytes`))
    }
    const onDisk = targets.filter((t) => !this.files[t.file]!.pad)
    const writes = mapLimited(onDisk, this.filesAtOnce, (t) =>
      this.withFile(t.file, 'write', (h) => writeFully(h, buf.subarray(t.from, t.to), t.offset)),
    )
    writes.then(
      () => cb(null),
      (err: Error) => cb(err),
    )
  }

  get(
    index: number,
    opts: { offset?: number; length?: number } | null | Callback<Uint8Array>,
    cb?: Callback<Uint8Array>,
  ): void {
    if (typeof opts === 'function') return this.get(index, null, opts)
    const done = cb ?? (() => undefined)
    if (this.closed) return defer(done, new Error('Storage is closed'))
    const targets = this.chunkMap[index]
    if (!targets) return defer(done, new Error(`no file holds piece ${index}`))
    const size = this.chunkSize(index)
    const rangeFrom = opts?.offset ?? 0
    const rangeTo = opts?.length ? rangeFrom + opts.length : size
    if (rangeFrom < 0 || rangeTo > size || rangeTo < rangeFrom) {
      return defer(done, new Error('Invalid offset and/or length'))
    }
    const wanted = targets.filter((t) => t.to > rangeFrom && t.from < rangeTo)
    const reads = mapLimited(wanted, this.filesAtOnce, (t) => {
      const from = Math.max(t.from, rangeFrom)
      const to = Math.min(t.to, rangeTo)
      if (this.files[t.file]!.pad) return Promise.resolve(Buffer.alloc(to - from))
      return this.withFile(t.file, 'read', (h) => readFully(h, to - from, t.offset + from - t.from))
    })
    reads.then(
      (parts) => done(null, parts.length === 1 ? parts[0] : Buffer.concat(parts)),
      (err: Error) => done(err),
    )
  }

  /**
   * Hashes pieces already on disk on the hashing threads (pool-verify.ts), in place of webtorrent's
   * piece-by-piece get() and hash: Seedling's webtorrent patch calls it for every check of existing
   * data. `verifyOne` is webtorrent's own check of one piece, for what cannot be read as a run;
   * `opts` chooses the threads (webtorrent passes none: the shared pool).
   */
  verifyPieces(
    pieces: readonly number[],
    hashes: readonly string[],
    verifyOne: (piece: number) => Promise<boolean>,
    onPiece: (piece: number, ok: boolean) => void,
    opts: VerifyOptions = {},
  ): Promise<void> {
    const layout: VerifyLayout = {
      pieceLength: this.chunkLength,
      pieceCount: this.lastChunkIndex + 1,
      lastPieceLength: this.lastChunkLength,
      parts: (piece) => this.chunkMap[piece] ?? [],
      path: (file) => this.files[file]!.path,
      isPad: (file) => this.files[file]!.pad,
      withFiles: (files, fn) => this.withFiles(files, fn),
    }
    const check = verifyPieces(layout, pieces, hashes, verifyOne, onPiece, opts)
    const tracked = check.catch(() => undefined).finally(() => this.verifying.delete(tracked))
    this.verifying.add(tracked)
    return check
  }

  private withFiles<T>(
    files: readonly number[],
    fn: (fds: readonly number[]) => Promise<T>,
    fds: readonly number[] = [],
  ): Promise<T> {
    if (this.closed) return Promise.reject(new Error('Storage is closed'))
    if (fds.length === files.length) return fn(fds)
    return this.withFile(files[fds.length]!, 'read', (h) =>
      this.withFiles(files, fn, [...fds, h.fd]),
    )
  }

  /** A read uses the file's read-write handle when one is open, so writes and reads share it. */
  private withFile<T>(index: number, mode: OpenMode, fn: (h: fs.FileHandle) => Promise<T>) {
    const file = this.files[index]!
    const key =
      mode === 'write' || this.pool.has(`${index}:write`) ? `${index}:write` : `${index}:read`
    const openMode: OpenMode = key.endsWith(':write') ? 'write' : 'read'
    return this.pool.use(key, () => openInside(this.root, file.segments, openMode), fn)
  }

  close(cb: Callback = () => undefined): void {
    if (this.closed) return defer(cb, new Error('Storage is closed'))
    this.closed = true
    this.settle()
      .then(() => this.pool.closeAll())
      .then(() => cb(null), cb)
  }

  /** Closes, then deletes the torrent's files (never through a link, never a folder). */
  destroy(cb: Callback = () => undefined): void {
    const remove = async (): Promise<void> => {
      if (!this.closed) {
        this.closed = true
        await this.settle()
        await this.pool.closeAll()
      }
      for (const file of this.files) {
        // A file at a padding file's path is not ours: the torrent never wrote one there.
        if (!file.pad) await removeInside(this.root, file.segments)
      }
    }
    remove().then(() => cb(null), cb)
  }

  /** Waits for the checks running: once closed, they stop at their next job. */
  private async settle(): Promise<void> {
    while (this.verifying.size > 0) await Promise.all([...this.verifying])
  }
}

async function writeFully(h: fs.FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0
  while (done < data.length) {
    const { bytesWritten } = await h.write(data, done, data.length - done, position + done)
    done += bytesWritten
  }
}

async function readFully(h: fs.FileHandle, length: number, position: number): Promise<Buffer> {
  // Not zero-filled: every byte is read into before it is returned, or the read throws.
  const out = Buffer.allocUnsafe(length)
  let done = 0
  while (done < length) {
    const { bytesRead } = await h.read(out, done, length - done, position + done)
    // A file shorter than the torrent says: the piece is not on disk (yet).
    if (bytesRead === 0) throw new Error('Could not satisfy length')
    done += bytesRead
  }
  return out
}

function defer<T>(cb: Callback<T>, err: Error): void {
  queueMicrotask(() => cb(err))
}

/** `fn` over `items` with at most `limit` running at once; results in the order of `items`. */
async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
