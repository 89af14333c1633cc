// Deterministic test data, byte-exact tree comparison, and .torrent files made by mktorrent.
import { createCipheriv, createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, mkdtemp, open, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { spawnTracked } from './proc'

export interface FileSpec {
  /** Relative path inside the tree, '/'-separated. */
  path: string
  size: number
}

/** A temp dir under the OS temp folder (or $SEEDLING_TEST_TMP); remove it with `removeDir`. */
export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(process.env.SEEDLING_TEST_TMP ?? tmpdir(), `seedling-${prefix}-`))
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 3 })
}

/**
 * Writes `size` pseudo-random bytes determined by (seed, key): AES-128-CTR keystream keyed by
 * sha256(seed, key). Fast (GB/s) and identical on every run.
 */
export async function writeDeterministicFile(
  file: string,
  size: number,
  seed: string,
  key: string = file,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  const digest = createHash('sha256').update(`${seed}\0${key}`).digest()
  const cipher = createCipheriv('aes-128-ctr', digest.subarray(0, 16), digest.subarray(16, 32))
  const chunk = 4 * 1024 * 1024
  const zeros = Buffer.alloc(chunk)
  const fh = await open(file, 'w')
  try {
    let left = size
    while (left > 0) {
      const n = Math.min(chunk, left)
      const buf = cipher.update(zeros.subarray(0, n))
      await fh.write(buf, 0, buf.length)
      left -= n
    }
  } finally {
    await fh.close()
  }
}

/** Creates every file of `specs` below `root`. */
export async function makeTree(root: string, specs: FileSpec[], seed = 'seedling'): Promise<void> {
  for (const spec of specs) {
    await writeDeterministicFile(join(root, ...spec.path.split('/')), spec.size, seed, spec.path)
  }
}

/** A multi-file layout with nested folders and a zero-byte file, about `totalMiB` MiB in all. */
export function sampleTree(totalMiB = 4): FileSpec[] {
  const mib = 1024 * 1024
  const total = Math.round(totalMiB * mib)
  return [
    { path: 'readme.txt', size: 1234 },
    { path: 'empty.bin', size: 0 },
    { path: 'a/one.bin', size: Math.floor(total * 0.4) + 17 },
    { path: 'a/b/two.bin', size: Math.floor(total * 0.3) - 5 },
    { path: 'a/b/c/three.bin', size: Math.floor(total * 0.2) + 1 },
    { path: 'z/last piece straddler.dat', size: Math.floor(total * 0.1) + 99_999 },
  ]
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

// A minimal bencode reader: enough to find the info dict's exact bytes (for the info hash) and to
// list files, with no dependency on the engine under test.
type BValue = number | Buffer | BValue[] | Map<string, BValue>

function decodeAt(buf: Buffer, pos: number): [BValue, number] {
  const c = buf[pos]
  if (c === 0x69 /* i */) {
    const end = buf.indexOf(0x65, pos)
    return [Number(buf.toString('ascii', pos + 1, end)), end + 1]
  }
  if (c === 0x6c /* l */) {
    const list: BValue[] = []
    pos++
    while (buf[pos] !== 0x65) {
      const [v, next] = decodeAt(buf, pos)
      list.push(v)
      pos = next
    }
    return [list, pos + 1]
  }
  if (c === 0x64 /* d */) {
    const dict = new Map<string, BValue>()
    pos++
    while (buf[pos] !== 0x65) {
      const [k, afterKey] = decodeAt(buf, pos)
      const [v, next] = decodeAt(buf, afterKey)
      dict.set((k as Buffer).toString('utf8'), v)
      pos = next
    }
    return [dict, pos + 1]
  }
  if (c !== undefined && c >= 0x30 && c <= 0x39) {
    const colon = buf.indexOf(0x3a, pos)
    const len = Number(buf.toString('ascii', pos, colon))
    return [buf.subarray(colon + 1, colon + 1 + len), colon + 1 + len]
  }
  throw new Error(`bad bencode at ${pos}`)
}

export function parseTorrent(buf: Buffer): TorrentFileInfo {
  if (buf[0] !== 0x64) throw new Error('not a bencoded dict')
  let pos = 1
  let infoStart = -1
  let infoEnd = -1
  let info: Map<string, BValue> | undefined
  while (buf[pos] !== 0x65) {
    const [k, afterKey] = decodeAt(buf, pos)
    const [v, next] = decodeAt(buf, afterKey)
    if ((k as Buffer).toString() === 'info') {
      infoStart = afterKey
      infoEnd = next
      info = v as Map<string, BValue>
    }
    pos = next
  }
  if (!info) throw new Error('no info dict')
  const infoHash = createHash('sha1').update(buf.subarray(infoStart, infoEnd)).digest('hex')
  const name = (info.get('name') as Buffer).toString('utf8')
  const pieceLength = info.get('piece length') as number
  const files: TreeEntry[] = []
  const list = info.get('files') as Array<Map<string, BValue>> | undefined
  if (list) {
    for (const f of list) {
      const parts = (f.get('path') as Buffer[]).map((p) => p.toString('utf8'))
      files.push({ path: parts.join('/'), size: f.get('length') as number })
    }
  } else files.push({ path: name, size: info.get('length') as number })
  return { infoHash, name, pieceLength, files, totalSize: files.reduce((s, f) => s + f.size, 0) }
}
