/**
 * Creates a v1 .torrent from a file or a folder.
 *
 * Written here rather than with the `create-torrent` package because that one adds public trackers
 * when given none, silently skips "junk" files (.DS_Store, Thumbs.db) and ships no types; large
 * sequential reads hashed on all cores (piece-hasher.ts) are also what keeps creation fast.
 *
 * Choices (like mktorrent): every tracker is its own tier, the first is also `announce`; files are
 * ordered by path, bytewise; only regular files are included: symbolic links (which could point
 * anywhere) and special files are left out.
 */
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { MAX_CREATE_PIECE_LENGTH, MIN_PIECE_LENGTH } from '@shared/limits'
import { encode } from './bencode'
import type { Encodable } from './bencode'
import { MetaInfoError, decodeTorrentFile, trackerUrl, webSeedUrl } from './metainfo'
import type { DecodedTorrent } from './metainfo'
import { hashFiles } from './piece-hasher'

/** Auto piece length aims for at most this many pieces, which keeps the .torrent small. */
const TARGET_PIECES = 2000

export interface CreateTorrentOptions {
  path: string
  trackers?: string[]
  pieceLength?: number
  private?: boolean
  comment?: string
  webSeeds?: string[]
  createdBy?: string
  onProgress?: (hashedBytes: number, totalBytes: number) => void
}

interface SourceFile {
  absolute: string
  /** Relative to the folder being shared; empty for a single file. */
  segments: string[]
  length: number
}

export async function createTorrentFile(
  opts: CreateTorrentOptions,
): Promise<{ torrent: Uint8Array; decoded: DecodedTorrent }> {
  const trackers = (opts.trackers ?? []).map((t) => checked(t, trackerUrl, 'tracker'))
  const webSeeds = (opts.webSeeds ?? []).map((w) => checked(w, webSeedUrl, 'web seed'))
  if (opts.pieceLength !== undefined) checkPieceLength(opts.pieceLength)

  const root = path.resolve(opts.path)
  const rootStat = await stat(root).catch(() => {
    throw new MetaInfoError(`cannot read ${opts.path}: no such file or folder`)
  })
  const single = rootStat.isFile()
  if (!single && !rootStat.isDirectory()) {
    throw new MetaInfoError(`cannot share ${opts.path}: not a file or folder`)
  }
  const files = single
    ? [{ absolute: root, segments: [], length: rootStat.size }]
    : await listFiles(root, [])
  const total = files.reduce((n, f) => n + f.length, 0)
  if (total === 0) throw new MetaInfoError(`nothing to share: ${opts.path} holds no data`)

  const pieceLength = opts.pieceLength ?? autoPieceLength(total)
  const pieces = await hashFiles(files, pieceLength, { onProgress: opts.onProgress })

  const info: Record<string, Encodable | undefined> = {
    name: path.basename(root),
    'piece length': pieceLength,
    pieces,
    private: opts.private ? 1 : undefined,
  }
  if (single) info.length = total
  else info.files = files.map((f) => ({ length: f.length, path: f.segments }))

  const torrent = encode({
    announce: trackers[0],
    'announce-list': trackers.length > 1 ? trackers.map((t) => [t]) : undefined,
    comment: opts.comment || undefined,
    'created by': opts.createdBy ?? 'Seedling',
    'creation date': Math.floor(Date.now() / 1000),
    info,
    'url-list': webSeeds.length > 0 ? webSeeds : undefined,
  })
  // Our own decoder is the judge: whatever we write, we must be able to read back.
  return { torrent, decoded: decodeTorrentFile(torrent) }
}

/** The smallest power of two from 16 KiB to 16 MiB that keeps the piece count near the target. */
export function autoPieceLength(total: number): number {
  let length = MIN_PIECE_LENGTH
  while (length < MAX_CREATE_PIECE_LENGTH && Math.ceil(total / length) > TARGET_PIECES) length *= 2
  return length
}

function checkPieceLength(n: number): void {
  const powerOfTwo = Number.isSafeInteger(n) && n > 0 && (n & (n - 1)) === 0
  if (!powerOfTwo || n < MIN_PIECE_LENGTH || n > MAX_CREATE_PIECE_LENGTH) {
    throw new MetaInfoError(`piece length ${n} must be a power of two from 16 KiB to 16 MiB`)
  }
}

function checked(s: string, check: (s: string) => string | null, what: string): string {
  const url = check(s)
  if (url === null) throw new MetaInfoError(`invalid ${what} URL: ${s}`)
  return url
}

async function listFiles(dir: string, segments: string[]): Promise<SourceFile[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  // Bytewise order (as mktorrent's strcmp), so the same folder always gives the same torrent.
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)))
  const out: SourceFile[] = []
  for (const e of entries) {
    const absolute = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...(await listFiles(absolute, [...segments, e.name])))
    else if (e.isFile()) {
      out.push({ absolute, segments: [...segments, e.name], length: (await stat(absolute)).size })
    }
  }
  return out
}
