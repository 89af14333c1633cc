/**
 * The one torrent builder for tests and the bench: .torrent files built from bencode + SHA-1 only,
 * independently of `src/main/engine/create.ts`, so suites can use it to check the creator too.
 *
 * `makeTorrentFixture` writes seeded data (test-data.ts) and its torrent in one go. Layout: a
 * single-file torrent when `name` is absent and there is one file; otherwise a multi-file torrent
 * whose folder is `name` (default "fixture"). Data goes under `<dir>/data/` (`dataDir`), which is
 * exactly the download folder a client would use; the .torrent goes to `<dir>/<name>.torrent`.
 * A file marked `padding` is a BEP 47 padding file (`attr` "p"): zeros, hashed but never written.
 */
import { createHash } from 'node:crypto'
import type { Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { encode } from '../../src/main/engine/bencode'
import type { Encodable } from '../../src/main/engine/bencode'
import type { FileSpec, Seed } from './test-data'
import { writeSeededFile } from './test-data'

/** Feeds bytes in any slicing and yields one SHA-1 per `pieceLength` bytes, the last one short. */
class PieceHasher {
  private readonly hashes: Uint8Array[] = []
  private hash: Hash = createHash('sha1')
  private filled = 0

  constructor(private readonly pieceLength: number) {}

  update(data: Uint8Array): void {
    for (let at = 0; at < data.length;) {
      const take = Math.min(this.pieceLength - this.filled, data.length - at)
      this.hash.update(data.subarray(at, at + take))
      at += take
      this.filled += take
      if (this.filled === this.pieceLength) this.next()
    }
  }

  finish(): Uint8Array {
    if (this.filled > 0) this.next()
    return Buffer.concat(this.hashes)
  }

  private next(): void {
    this.hashes.push(this.hash.digest())
    this.hash = createHash('sha1')
    this.filled = 0
  }
}

/** The `pieces` string for data held in memory. */
export function pieceHashes(data: Uint8Array, pieceLength: number): Uint8Array {
  const hasher = new PieceHasher(pieceLength)
  hasher.update(data)
  return hasher.finish()
}

/** The `pieces` string for files on disk (or runs of zeros), hashed as one stream in order. */
export async function hashFiles(
  files: readonly (string | { zeros: number })[],
  pieceLength: number,
): Promise<Uint8Array> {
  const hasher = new PieceHasher(pieceLength)
  for (const file of files) {
    if (typeof file !== 'string') {
      hasher.update(new Uint8Array(file.zeros))
      continue
    }
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      hasher.update(chunk as Buffer)
    }
  }
  return hasher.finish()
}

/** A file of a torrent: `padding` makes it a BEP 47 padding file of `size` zeros. */
export interface TorrentFileSpec extends FileSpec {
  padding?: boolean
}

export interface TorrentSpec {
  name: string
  pieceLength: number
  pieces: Uint8Array
  /** Multi-file when given (paths `/`-separated, inside the torrent's folder), else single-file. */
  files?: readonly TorrentFileSpec[]
  /** The single file's length; ignored when `files` is given. */
  length?: number
  trackers?: readonly string[]
  private?: boolean
  urlList?: readonly string[]
  comment?: string
  /**
   * A hybrid v1/v2 torrent (BEP 52): `meta version` 2, a `file tree` and top-level `piece layers`
   * beside the v1 fields. Its v2 hashes are placeholders: only the v1 part is meant to be used.
   */
  hybrid?: boolean
}

export interface BuiltTorrent {
  torrentBuffer: Uint8Array
  infoBuffer: Uint8Array
  infoHash: string
}

/** Encodes a .torrent (announce-list one tracker a tier) with a fixed creation date. */
export function buildTorrent(spec: TorrentSpec): BuiltTorrent {
  const info: Record<string, Encodable | undefined> = {
    name: spec.name,
    'piece length': spec.pieceLength,
    pieces: spec.pieces,
    private: spec.private ? 1 : undefined,
  }
  if (spec.files) {
    info.files = spec.files.map((f) => ({
      attr: f.padding ? 'p' : undefined,
      length: f.size,
      path: f.path.split('/'),
    }))
  } else info.length = spec.length ?? 0
  if (spec.hybrid) {
    info['meta version'] = 2
    info['file tree'] = fileTree(spec.files ?? [{ path: spec.name, size: spec.length ?? 0 }])
  }
  const trackers = spec.trackers ?? []
  const torrentBuffer = encode({
    announce: trackers[0],
    'announce-list': trackers.length > 0 ? trackers.map((t) => [t]) : undefined,
    comment: spec.comment,
    'creation date': 1_700_000_000,
    info,
    'piece layers': spec.hybrid ? {} : undefined,
    'url-list': spec.urlList,
  })
  const infoBuffer = encode(info)
  return {
    torrentBuffer,
    infoBuffer,
    infoHash: createHash('sha1').update(infoBuffer).digest('hex'),
  }
}

/** BEP 52 `file tree` of `files`, with zeroed `pieces root`s (see TorrentSpec.hybrid). */
function fileTree(files: readonly TorrentFileSpec[]): Encodable {
  const root: { [name: string]: Encodable } = {}
  for (const f of files) {
    if (f.padding) continue
    let node = root
    for (const part of f.path.split('/'))
      node = (node[part] ??= {}) as { [name: string]: Encodable }
    node[''] = { length: f.size, 'pieces root': f.size > 0 ? new Uint8Array(32) : undefined }
  }
  return root
}

export interface FixtureOptions {
  dir: string
  files: TorrentFileSpec[]
  pieceLength: number
  trackers?: string[]
  name?: string
  seed?: Seed
  private?: boolean
  urlList?: string[]
  comment?: string
}

export interface FixtureFile {
  /** `/`-separated, relative to `dataDir`: starts with the torrent's name for multi-file. */
  path: string
  absolutePath: string
  size: number
  offset: number
  /** A padding file: `absolutePath` is where it would be, and nothing is written there. */
  padding?: boolean
}

export interface TorrentFixture {
  torrentPath: string
  torrentBuffer: Uint8Array
  /** The download folder: the torrent's files are at `dataDir/<file.path>`. */
  dataDir: string
  infoHash: string
  name: string
  files: FixtureFile[]
  length: number
}

/** Writes seeded data for `files` and a torrent of it; the same options give the same info hash. */
export async function makeTorrentFixture(opts: FixtureOptions): Promise<TorrentFixture> {
  const single = opts.name === undefined && opts.files.length === 1
  const name = single ? (opts.files[0] as FileSpec).path : (opts.name ?? 'fixture')
  const dataDir = path.join(opts.dir, 'data')
  const files: FixtureFile[] = []
  let offset = 0
  for (const spec of opts.files) {
    const rel = single ? name : `${name}/${spec.path}`
    const absolutePath = path.join(dataDir, ...rel.split('/'))
    if (!spec.padding) await writeSeededFile(absolutePath, spec.size, opts.seed ?? 1, spec.path)
    files.push({ path: rel, absolutePath, size: spec.size, offset, padding: spec.padding })
    offset += spec.size
  }
  const built = buildTorrent({
    ...opts,
    name,
    pieces: await hashFiles(
      files.map((f) => (f.padding ? { zeros: f.size } : f.absolutePath)),
      opts.pieceLength,
    ),
    files: single ? undefined : opts.files,
    length: offset,
  })
  const torrentPath = path.join(opts.dir, `${name}.torrent`)
  await writeFile(torrentPath, built.torrentBuffer)
  return {
    torrentPath,
    torrentBuffer: built.torrentBuffer,
    dataDir,
    infoHash: built.infoHash,
    name,
    files,
    length: offset,
  }
}
