// Temp folders, byte-exact tree comparison, and .torrent files made by mktorrent. The test data
// itself comes from test/support/test-data.ts.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { decode } from '../../../src/main/engine/bencode'
import { decodeDict, text } from '../../support/bencode-view'
import type { Plain } from '../../support/bencode-view'
import { spawnTracked } from './proc'

/** A temp dir under the OS temp folder (or $SEEDLING_TEST_TMP); remove it with `removeDir`. */
export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(process.env.SEEDLING_TEST_TMP ?? tmpdir(), `seedling-${prefix}-`))
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 3 })
}

export interface TreeEntry {
  path: string
  size: number
}

/** All regular files below root, sorted, with '/'-separated relative paths. */
export async function listTree(root: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = []
  const walk = async (dir: string): Promise<void> => {
    for (const d of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, d.name)
      if (d.isDirectory()) await walk(full)
      else if (d.isFile()) {
        out.push({ path: relative(root, full).split(sep).join('/'), size: (await stat(full)).size })
      } else
        out.push({ path: relative(root, full).split(sep).join('/') + ' (not a file)', size: -1 })
    }
  }
  await walk(root)
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256')
    createReadStream(file, { highWaterMark: 1024 * 1024 })
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')))
  })
}

/**
 * Compares two trees: same file list, same sizes, same bytes. Returns the differences (empty when
 * identical). `ignore` filters out paths present only in `actual` (e.g. client control files).
 */
export async function diffTrees(
  expected: string,
  actual: string,
  ignore: (path: string) => boolean = () => false,
): Promise<string[]> {
  const a = await listTree(expected)
  const b = (await listTree(actual)).filter((e) => !ignore(e.path))
  const diffs: string[] = []
  const bMap = new Map(b.map((e) => [e.path, e]))
  for (const e of a) {
    const o = bMap.get(e.path)
    bMap.delete(e.path)
    if (!o) diffs.push(`missing: ${e.path}`)
    else if (o.size !== e.size) diffs.push(`size differs: ${e.path} ${e.size} != ${o.size}`)
    else {
      const [ha, hb] = await Promise.all([
        sha256File(join(expected, e.path)),
        sha256File(join(actual, e.path)),
      ])
      if (ha !== hb) diffs.push(`content differs: ${e.path}`)
    }
  }
  for (const extra of bMap.keys()) diffs.push(`unexpected: ${extra}`)
  return diffs
}

export async function assertTreesEqual(
  expected: string,
  actual: string,
  ignore?: (path: string) => boolean,
): Promise<void> {
  const diffs = await diffTrees(expected, actual, ignore)
  if (diffs.length) {
    throw new Error(
      `trees differ (${expected} vs ${actual}):\n  ${diffs.slice(0, 50).join('\n  ')}`,
    )
  }
}

// ---- .torrent files ----

export interface MakeTorrentOptions {
  /** File or directory to hash. */
  target: string
  /** Output .torrent path. */
  out: string
  /** Announce URLs (mktorrent needs at least one). */
  announce: string[]
  /** Piece length as a power of two (mktorrent -l); default 16 (64 KiB) for small test data. */
  pieceLengthExp?: number
  /** Hashing threads (mktorrent -t); default: mktorrent's own (number of cores). */
  threads?: number
  name?: string
  private?: boolean
}

export interface TorrentFileInfo {
  infoHash: string
  name: string
  pieceLength: number
  files: TreeEntry[]
  totalSize: number
}

export async function makeTorrent(opts: MakeTorrentOptions): Promise<TorrentFileInfo> {
  const args = ['-d', '-l', String(opts.pieceLengthExp ?? 16), '-o', opts.out]
  for (const a of opts.announce) args.push('-a', a)
  if (opts.threads) args.push('-t', String(opts.threads))
  if (opts.name) args.push('-n', opts.name)
  if (opts.private) args.push('-p')
  args.push(opts.target)
  await rm(opts.out, { force: true })
  const p = spawnTracked('mktorrent', 'mktorrent', args)
  const exit = await p.waitExit(300_000)
  if (exit.code !== 0) throw new Error(`mktorrent failed\n${p.describe()}`)
  return readTorrentFile(opts.out)
}

export async function readTorrentFile(file: string): Promise<TorrentFileInfo> {
  return parseTorrent(await readFile(file))
}

export function parseTorrent(buf: Uint8Array): TorrentFileInfo {
  const decoded = decode(buf)
  const infoBytes = decoded.rawValue('info')
  if (!infoBytes) throw new Error('no info dictionary')
  const info = decodeDict(infoBytes)
  const infoHash = createHash('sha1').update(infoBytes).digest('hex')
  const name = text(info.name)
  const pieceLength = info['piece length'] as number
  const list = info.files as Array<{ [key: string]: Plain }> | undefined
  const files: TreeEntry[] = list
    ? list.map((f) => ({
        path: (f.path as Plain[]).map(text).join('/'),
        size: f.length as number,
      }))
    : [{ path: name, size: info.length as number }]
  return { infoHash, name, pieceLength, files, totalSize: files.reduce((s, f) => s + f.size, 0) }
}
