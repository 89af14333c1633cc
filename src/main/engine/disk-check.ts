/**
 * Which pieces of a stopped torrent are on disk, hashed by the engine itself: a paused torrent is not
 * in the stack (which would announce it and connect), yet after a crash, or a recheck while paused,
 * its progress must be what the files hold rather than 0 %. The answer is resume data, so a later
 * start trusts those pieces the way it trusts a clean stop's, per file and only if unchanged since.
 */
import { createHash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import type { Entry, TorrentEntries } from './entries'
import type { FileStamp } from './file-state'
import { statTorrentFile } from './file-state'
import type { DecodedTorrent } from './metainfo'
import { openInside } from './safe-open'
import type { ResumeData } from './session'

interface Span {
  file: number
  position: number
  length: number
}

/** The parts of files that make up a piece, in order (empty files hold none). */
function spans(decoded: DecodedTorrent, piece: number): Span[] {
  const { pieceLength, pieceCount, lastPieceLength } = decoded.meta
  const start = piece * pieceLength
  const end = start + (piece === pieceCount - 1 ? lastPieceLength : pieceLength)
  const out: Span[] = []
  decoded.files.forEach((f, file) => {
    const from = Math.max(start, f.offset)
    const to = Math.min(end, f.offset + f.length)
    if (to > from) out.push({ file, position: from - f.offset, length: to - from })
  })
  return out
}

const sameStamp = (a: FileStamp | null, b: FileStamp | null): boolean =>
  a !== null && b !== null && a.mtime === b.mtime && a.size === b.size

/**
 * Hashes every piece whose files are there and long enough; anything unreadable counts as missing.
 * Resolves null when `stopped()` turns true (the torrent started, went away, or the engine closed).
 * A file that changed while it was read keeps no stamp, so its pieces are hashed again at the start.
 */
export async function checkOnDisk(
  root: string,
  decoded: DecodedTorrent,
  stopped: () => boolean,
): Promise<ResumeData | null> {
  const { files, meta } = decoded
  const stat = (i: number): Promise<FileStamp | null> => statTorrentFile(root, files[i]!.segments)
  const before = await Promise.all(files.map((_, i) => stat(i)))
  const bits = new Uint8Array(Math.ceil(meta.pieceCount / 8))
  // Pieces go in file order: one file stays open until the pieces move past it.
  const open = new Map<number, FileHandle | null>()
  const handle = async (file: number): Promise<FileHandle | null> => {
    if (!open.has(file)) {
      for (const [i, h] of open) if (i < file) void h?.close().catch(() => undefined)
      for (const i of [...open.keys()]) if (i < file) open.delete(i)
      open.set(file, await openInside(root, files[file]!.segments, 'read').catch(() => null))
    }
    return open.get(file) ?? null
  }
  try {
    for (let piece = 0; piece < meta.pieceCount; piece++) {
      if (stopped()) return null
      const parts = spans(decoded, piece)
      // Padding (BEP 47) is zeros that are never on disk.
      const short = (s: Span): boolean =>
        !files[s.file]!.pad && (before[s.file]?.size ?? 0) < s.position + s.length
      if (parts.some(short)) continue
      const hash = createHash('sha1')
      let whole = true
      for (const s of parts) {
        if (files[s.file]!.pad) {
          hash.update(Buffer.alloc(s.length))
          continue
        }
        const h = await handle(s.file)
        const buffer = Buffer.alloc(s.length)
        const read = h ? await h.read(buffer, 0, s.length, s.position).catch(() => null) : null
        if (!read || read.bytesRead !== s.length) {
          whole = false
          break
        }
        hash.update(buffer)
      }
      if (whole && hash.digest('hex') === meta.pieceHashes[piece]) {
        bits[piece >> 3]! |= 0x80 >> (piece & 7)
      }
    }
  } finally {
    await Promise.all([...open.values()].map((h) => h?.close().catch(() => undefined)))
  }
  if (stopped()) return null
  const after = await Promise.all(files.map((_, i) => stat(i)))
  const kept = before.map((b, i) => (sameStamp(b, after[i] ?? null) ? b : null))
  return {
    bitfield: Buffer.from(bits).toString('base64'),
    fileModtimes: kept.map((s) => s?.mtime ?? null),
    fileSizes: kept.map((s) => s?.size ?? null),
  }
}

/**
 * Paused torrents whose verified pieces are unknown (after a crash, a recheck while paused, metadata
 * adopted while paused) are checked here one at a time: all at once would thrash the disk. A torrent
 * shows as checking while it waits and while it is hashed.
 */
export class StoppedChecks {
  private readonly queue: Entry[] = []
  private running = false

  constructor(
    private readonly entries: TorrentEntries,
    private readonly isClosed: () => boolean,
  ) {}

  /** Queues every torrent that needs a check and is not queued yet. */
  sweep(): void {
    for (const entry of this.entries.values()) {
      if (entry.checking || !needsCheck(entry)) continue
      entry.checking = true
      this.queue.push(entry)
    }
    if (!this.running) void this.drain()
  }

  private async drain(): Promise<void> {
    this.running = true
    try {
      for (let entry = this.queue.shift(); entry; entry = this.queue.shift()) {
        const { decoded, record } = entry
        const folder = record.downloadDir
        const stopped = (): boolean =>
          this.isClosed() ||
          this.entries.find(record.infoHash) !== entry ||
          record.downloadDir !== folder ||
          !needsCheck(entry)
        const found = decoded ? await checkOnDisk(folder, decoded, stopped).catch(() => null) : null
        if (found && !stopped()) record.resume = found
        entry.checking = false
      }
    } finally {
      this.running = false
    }
  }
}

/** A paused torrent with metadata whose verified pieces are not known. */
export function needsCheck(entry: Entry): boolean {
  const { record } = entry
  return record.paused && !entry.torrent && !entry.error && !!entry.decoded && !record.resume
}
