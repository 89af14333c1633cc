/**
 * Decodes and validates a torrent's meta-info (BEP 3, with BEP 12 announce-list, BEP 19 url-list
 * and the v1 half of BEP 52 hybrids) into the contract's `MetaInfo`, with every path sanitized
 * for the platform it will be written on (the host unless told otherwise; see safe-path.ts).
 *
 * Bounds chosen here (each rejected with a one-line `MetaInfoError`):
 * - a .torrent file (or a fetched info dictionary) is at most MAX_TORRENT_FILE_BYTES (10 MiB);
 * - `piece length` is an integer from 1 byte to 256 MiB (a power of two is usual but not required
 *   by BEP 3; larger pieces would have to sit whole in memory while downloading);
 * - the total length is 1 byte to 2^53 - 1 bytes: a torrent with no data at all is rejected,
 *   because it has no pieces to verify and nothing to share (zero-length files inside a torrent
 *   that has data are fine);
 * - the piece count must be exactly ceil(total length / piece length).
 *
 * BEP 47 file attributes: a padding file (`attr` holds "p") is zeros that align the next file to a
 * piece; it is marked `pad`, never written (chunk-store.ts) and not shown. Other attributes (x, h,
 * l) are read but not applied: files are written as plain regular files.
 */
import { createHash } from 'node:crypto'
import type { MetaFile, MetaInfo } from '@shared/api'
import { BencodeError, decode } from './bencode'
import type { BDict, BValue } from './bencode'
import { MAX_TORRENT_FILE_BYTES, MAX_TORRENT_FILE_SIZE_TEXT } from '@shared/limits'
import { MAX_TRACKERS_PER_TORRENT } from '@shared/tracker-url'
import {
  buildMagnetURI,
  keepUrl,
  readAnnounce,
  readAnnounceList,
  readUrlList,
  trackerUrl,
  webSeedUrl,
} from './metainfo-urls'
import {
  dedupe,
  isStringList,
  MetaInfoError,
  optionalText,
  readDate,
  requiredText,
  text,
  Warnings,
  wrongType,
} from './metainfo-values'
import { pathCollisionKey, sanitizeName } from './safe-path'

// The decoder's public face: callers import errors and URL checks from here with the decoder.
export { MetaInfoError } from './metainfo-values'
export { buildMagnetURI, trackerUrl, webSeedUrl } from './metainfo-urls'
export type { MagnetParts } from './metainfo-urls'

export const MAX_PIECE_LENGTH = 256 * 1024 * 1024

export interface DecodedFile {
  /** Sanitized, relative to the download folder; starts with the torrent's name for multi-file. */
  segments: string[]
  length: number
  offset: number
  /** A BEP 47 padding file: zeros, never on disk. */
  pad: boolean
}

export interface DecodedTorrent {
  meta: MetaInfo
  /** The exact bytes of the info dictionary; the info hash is their SHA-1. */
  infoBuffer: Uint8Array
  infoHashBuffer: Uint8Array
  /** The decoded info dictionary, keys as latin1 byte strings, strings as bytes. */
  info: BDict
  files: DecodedFile[]
  /** The torrent's name as the file states it, before sanitizing (for display and `dn`). */
  rawName: string
  /**
   * The trackers to announce to: every tracker of every tier, in tier order, without duplicates,
   * the first MAX_TRACKERS_PER_TORRENT of them (`meta.announceList` shows all the file lists).
   */
  announce: string[]
}

export interface DecodeOptions {
  /**
   * Whose filesystem rules the names are sanitized for; the host's by default. Windows rules
   * (`<>:"|?*`, trailing dots and spaces, reserved device names) apply only to 'win32'.
   */
  platform?: NodeJS.Platform
}

/** Decodes a whole .torrent file. */
export function decodeTorrentFile(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedTorrent {
  const top = decodeDict(bytes, 'not a torrent file')
  const info = top.value.get('info')
  const infoBytes = top.rawValue('info')
  if (info === undefined || infoBytes === undefined) {
    throw new MetaInfoError('not a torrent file: it has no "info" dictionary')
  }
  if (!(info instanceof Map)) throw new MetaInfoError('invalid torrent: "info" is not a dictionary')

  const warnings = new Warnings()
  const tiers = readAnnounceList(top.value, warnings)
  const announce = readAnnounce(top.value, warnings)
  return build(info, infoBytes, warnings, opts.platform ?? process.platform, {
    announce,
    announceList: tiers.length > 0 ? tiers : announce ? [[announce]] : [],
    urlList: readUrlList(top.value.get('url-list'), warnings),
    comment: optionalText(top.value, 'comment'),
    createdBy: optionalText(top.value, 'created by'),
    creationDate: readDate(top.value.get('creation date')),
  })
}

/**
 * Decodes an info dictionary on its own, as fetched from peers for a magnet link (BEP 9). Each
 * tracker from the magnet becomes its own tier.
 */
export function decodeInfoDictionary(
  infoBytes: Uint8Array,
  extra: { announce?: string[]; urlList?: string[] } = {},
  opts: DecodeOptions = {},
): DecodedTorrent {
  const { value: info } = decodeDict(infoBytes, 'invalid metadata')
  const warnings = new Warnings()
  const trackers = dedupe(
    (extra.announce ?? []).flatMap((t) => keepUrl(t, trackerUrl, 'tracker', warnings)),
  )
  return build(info, infoBytes, warnings, opts.platform ?? process.platform, {
    announce: trackers[0] ?? null,
    announceList: trackers.map((t) => [t]),
    urlList: dedupe(
      (extra.urlList ?? []).flatMap((u) => keepUrl(u, webSeedUrl, 'web seed', warnings)),
    ),
    comment: null,
    createdBy: null,
    creationDate: null,
  })
}

type TopFields = Pick<
  MetaInfo,
  'announce' | 'announceList' | 'urlList' | 'comment' | 'createdBy' | 'creationDate'
>

function decodeDict(
  bytes: Uint8Array,
  what: string,
): { value: BDict; rawValue: (k: string) => Uint8Array | undefined } {
  if (bytes.length > MAX_TORRENT_FILE_BYTES) {
    throw new MetaInfoError(
      `${what}: larger than ${MAX_TORRENT_FILE_SIZE_TEXT} (${bytes.length} bytes)`,
    )
  }
  let decoded
  try {
    decoded = decode(bytes)
  } catch (err) {
    if (err instanceof BencodeError) throw new MetaInfoError(`${what}: ${err.message}`)
    throw err
  }
  if (!(decoded.value instanceof Map)) {
    throw new MetaInfoError(`${what}: the top level is not a dictionary`)
  }
  return { value: decoded.value, rawValue: decoded.rawValue }
}

function build(
  info: BDict,
  infoBytes: Uint8Array,
  warnings: Warnings,
  platform: NodeJS.Platform,
  top: TopFields,
): DecodedTorrent {
  const pieces = info.get('pieces')
  const metaVersion = info.get('meta version')
  if (pieces === undefined && metaVersion !== undefined && metaVersion !== 1) {
    throw new MetaInfoError(
      'v2-only torrents (BEP 52) are not yet supported; a hybrid v1+v2 torrent would work',
    )
  }
  if (metaVersion === 2) {
    warnings.add('hybrid v1/v2 torrent: the v2 part is ignored, it is downloaded and shared as v1')
  }
  const infoHashBuffer = new Uint8Array(createHash('sha1').update(infoBytes).digest())
  const infoHash = Buffer.from(infoHashBuffer).toString('hex')

  const rawName = requiredText(info, 'name', 'info.name')
  const pieceLength = info.get('piece length')
  if (typeof pieceLength !== 'number') {
    throw wrongType('info["piece length"]', pieceLength, 'an integer')
  }
  if (pieceLength < 1 || pieceLength > MAX_PIECE_LENGTH) {
    throw new MetaInfoError(
      `invalid torrent: piece length ${pieceLength} is outside 1 byte to 256 MiB`,
    )
  }
  if (!(pieces instanceof Uint8Array)) {
    throw wrongType('info.pieces', pieces, 'a string')
  }
  if (pieces.length % 20 !== 0) {
    throw new MetaInfoError(
      `invalid torrent: info.pieces is ${pieces.length} bytes, not a multiple of 20`,
    )
  }

  const sanitizedName = sanitizeName(rawName, platform)
  if (sanitizedName === null) warnings.add(`the torrent has no name; using "${infoHash}"`)
  else if (sanitizedName.changes.length > 0) {
    warnings.add(`name "${rawName}" → "${sanitizedName.name}": ${sanitizedName.changes.join(', ')}`)
  }
  const name = sanitizedName?.name ?? infoHash

  const raw = readFileList(info)
  const multiFile = raw.multiFile
  const files: DecodedFile[] = []
  let offset = 0
  for (const [i, f] of raw.files.entries()) {
    const segments = [name]
    const changes = new Set<string>()
    for (const element of f.path) {
      const s = sanitizeName(element, platform)
      if (s === null) {
        throw new MetaInfoError(
          `invalid torrent: file ${i} ("${f.path.join('/')}") has an empty path element`,
        )
      }
      for (const c of s.changes) changes.add(c)
      segments.push(s.name)
    }
    if (changes.size > 0) {
      const shown = segments.slice(1).join('/')
      warnings.add(`file "${f.path.join('/')}" → "${shown}": ${[...changes].join(', ')}`)
    }
    // A single-file torrent's one file is the name itself.
    files.push({ segments: multiFile ? segments : [name], length: f.length, offset, pad: f.pad })
    offset += f.length
    if (offset > Number.MAX_SAFE_INTEGER) {
      throw new MetaInfoError('invalid torrent: the total length is larger than 2^53 bytes')
    }
  }
  const length = offset
  if (length === 0) throw new MetaInfoError('invalid torrent: it contains no data (total length 0)')
  // Padding never reaches the disk, and creators reuse names such as ".pad/16384".
  checkCollisions(files.filter((f) => !f.pad))

  const pieceCount = pieces.length / 20
  const expected = Math.ceil(length / pieceLength)
  if (pieceCount !== expected) {
    throw new MetaInfoError(
      `invalid torrent: ${pieceCount} piece hashes, but ${length} bytes in pieces of ${pieceLength} need ${expected}`,
    )
  }
  const pieceHashes: string[] = []
  for (let i = 0; i < pieces.length; i += 20) {
    pieceHashes.push(Buffer.from(pieces.buffer, pieces.byteOffset + i, 20).toString('hex'))
  }

  const metaFiles: MetaFile[] = files.map((f) => {
    // A zero-length file has no bytes, so no piece of its own: it is given the piece at its offset,
    // clamped to the last piece when it sits at the very end of the torrent.
    const firstPiece = Math.min(Math.floor(f.offset / pieceLength), pieceCount - 1)
    const lastPiece =
      f.length === 0 ? firstPiece : Math.floor((f.offset + f.length - 1) / pieceLength)
    const file: MetaFile = {
      path: f.segments.join('/'),
      length: f.length,
      offset: f.offset,
      firstPiece,
      lastPiece,
    }
    if (f.pad) file.padding = true
    return file
  })

  const allTrackers = dedupe(top.announceList.flat())
  // The file is shown as it is (announceList), but a torrent announces to a bounded number of
  // trackers: each is a connection and a timer.
  if (allTrackers.length > MAX_TRACKERS_PER_TORRENT) {
    warnings.add(
      `the torrent lists ${allTrackers.length} trackers: only the first ${MAX_TRACKERS_PER_TORRENT} are used`,
    )
  }
  const announce = allTrackers.slice(0, MAX_TRACKERS_PER_TORRENT)
  const meta: MetaInfo = {
    infoHash,
    name,
    ...top,
    pieceLength,
    pieceCount,
    lastPieceLength: length - (pieceCount - 1) * pieceLength,
    pieceHashes,
    length,
    multiFile,
    files: metaFiles,
    private: info.get('private') === 1,
    infoSize: infoBytes.length,
    magnetURI: buildMagnetURI({
      infoHash,
      name: rawName,
      trackers: announce,
      webSeeds: top.urlList,
    }),
    warnings: warnings.list(),
  }
  return { meta, infoBuffer: infoBytes, infoHashBuffer, info, files, rawName, announce }
}

interface RawFile {
  path: string[]
  length: number
  pad: boolean
}

function readFileList(info: BDict): { multiFile: boolean; files: RawFile[] } {
  const length = info.get('length')
  const list = info.get('files')
  if ((length === undefined) === (list === undefined)) {
    throw new MetaInfoError('invalid torrent: info must have exactly one of "length" and "files"')
  }
  if (length !== undefined) {
    const only = { path: [], length: checkLength(length, 'info.length'), pad: false }
    return { multiFile: false, files: [only] }
  }
  if (!Array.isArray(list)) throw wrongType('info.files', list, 'a list')
  if (list.length === 0) throw new MetaInfoError('invalid torrent: info.files is empty')
  const files = list.map((entry, i): RawFile => {
    if (!(entry instanceof Map)) {
      throw wrongType(`info.files[${i}]`, entry, 'a dictionary')
    }
    const utf8Path = entry.get('path.utf-8')
    const rawPath = isStringList(utf8Path) ? utf8Path : entry.get('path')
    if (!isStringList(rawPath)) {
      throw wrongType(`info.files[${i}].path`, rawPath, 'a list of strings')
    }
    if (rawPath.length === 0)
      throw new MetaInfoError(`invalid torrent: info.files[${i}].path is empty`)
    return {
      path: rawPath.map(text),
      length: checkLength(entry.get('length'), `info.files[${i}].length`),
      pad: isPadding(entry.get('attr'), i),
    }
  })
  return { multiFile: true, files }
}

/** BEP 47: "p" marks padding. A link ("l") has no bytes of its own, so it cannot also be padding. */
function isPadding(attr: BValue | undefined, i: number): boolean {
  if (attr === undefined) return false
  if (!(attr instanceof Uint8Array)) throw wrongType(`info.files[${i}].attr`, attr, 'a string')
  const flags = text(attr)
  if (!flags.includes('p')) return false
  if (flags.includes('l')) {
    throw new MetaInfoError(`invalid torrent: info.files[${i}] is both padding and a link`)
  }
  return true
}

function checkLength(v: BValue | undefined, where: string): number {
  if (typeof v !== 'number') throw wrongType(where, v, 'an integer')
  if (v < 0) throw new MetaInfoError(`invalid torrent: ${where} is negative (${v})`)
  return v
}

function checkCollisions(files: DecodedFile[]): void {
  const filesByKey = new Map<string, DecodedFile>()
  const folders = new Set<string>()
  const shown = (f: DecodedFile): string => f.segments.join('/')
  for (const f of files) {
    const key = pathCollisionKey(f.segments)
    const previous = filesByKey.get(key)
    if (previous !== undefined) {
      throw new MetaInfoError(
        shown(previous) === shown(f)
          ? `invalid torrent: the path "${shown(f)}" appears twice`
          : `invalid torrent: "${shown(previous)}" and "${shown(f)}" would be the same file on Windows or macOS`,
      )
    }
    filesByKey.set(key, f)
    // Segments hold no "/", so every "/" in a key ends the key of one of its folders.
    for (let i = key.indexOf('/'); i !== -1; i = key.indexOf('/', i + 1)) {
      folders.add(key.slice(0, i))
    }
  }
  for (const [key, f] of filesByKey) {
    if (folders.has(key)) {
      throw new MetaInfoError(`invalid torrent: "${shown(f)}" is both a file and a folder`)
    }
  }
}
