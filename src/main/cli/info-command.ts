/**
 * `seedling info <torrent | magnet | info hash>`: everything a torrent says, as text or JSON.
 * No console and no process.exit here: the CLI prints what these return and maps errors to codes.
 */
import { readFile, stat } from 'node:fs/promises'
import type { MagnetInfo, MetaInfo } from '@shared/api'
import { escapeInvisible, formatBytes, formatBytesExact } from '@shared/format'
import { parseTorrentLink } from '../engine/magnet'
import { MetaInfoError, decodeTorrentFile } from '../engine/metainfo'
import { MAX_TORRENT_FILE_BYTES, MAX_TORRENT_FILE_SIZE_TEXT } from '@shared/limits'

export interface InfoOptions {
  json: boolean
  pieces: boolean
}

export async function runInfo(input: string, opts: InfoOptions): Promise<string> {
  if (/^magnet:/i.test(input.trim()) || (looksLikeInfoHash(input) && !(await exists(input)))) {
    const magnet = parseTorrentLink(input)
    return opts.json ? JSON.stringify(magnetJson(magnet), null, 2) : formatMagnet(magnet)
  }
  const meta = decodeTorrentFile(await readTorrentFile(input)).meta
  return opts.json
    ? JSON.stringify(infoJson(meta, { pieces: opts.pieces }), null, 2)
    : formatInfo(meta, { pieces: opts.pieces })
}

/** Reads a .torrent, refusing an oversized one from its size alone, before reading it. */
export async function readTorrentFile(file: string): Promise<Uint8Array> {
  const s = await stat(file).catch((err: NodeJS.ErrnoException) => {
    throw new MetaInfoError(
      `cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.code}`,
    )
  })
  if (!s.isFile()) throw new MetaInfoError(`cannot read ${file}: not a file`)
  if (s.size > MAX_TORRENT_FILE_BYTES) {
    throw new MetaInfoError(
      `not a torrent file: ${file} is larger than ${MAX_TORRENT_FILE_SIZE_TEXT} (${s.size} bytes)`,
    )
  }
  return readFile(file)
}

export interface InfoJson {
  infoHash: string
  name: string
  announce: string | null
  announceList: string[][]
  urlList: string[]
  pieceLength: number
  pieceCount: number
  lastPieceLength: number
  length: number
  multiFile: boolean
  files: { path: string; length: number; offset: number; firstPiece: number; lastPiece: number }[]
  private: boolean
  comment: string | null
  createdBy: string | null
  creationDate: string | null
  infoSize: number
  magnetURI: string
  warnings: string[]
  pieces?: string[]
}

export function infoJson(meta: MetaInfo, opts: { pieces: boolean } = { pieces: false }): InfoJson {
  return {
    infoHash: meta.infoHash,
    name: meta.name,
    announce: meta.announce,
    announceList: meta.announceList,
    urlList: meta.urlList,
    pieceLength: meta.pieceLength,
    pieceCount: meta.pieceCount,
    lastPieceLength: meta.lastPieceLength,
    length: meta.length,
    multiFile: meta.multiFile,
    files: meta.files.map((f) => ({ ...f })),
    private: meta.private,
    comment: meta.comment,
    createdBy: meta.createdBy,
    creationDate: meta.creationDate,
    infoSize: meta.infoSize,
    magnetURI: meta.magnetURI,
    warnings: meta.warnings,
    ...(opts.pieces ? { pieces: meta.pieceHashes } : {}),
  }
}

export function formatInfo(meta: MetaInfo, opts: { pieces: boolean }): string {
  const lines = [
    ...labelled([
      ['Name', meta.name],
      ['Info hash', meta.infoHash],
      ['Size', formatBytesExact(meta.length)],
      ['Files', String(meta.files.length)],
      [
        'Pieces',
        `${meta.pieceCount} × ${formatBytesExact(meta.pieceLength)}, last ${formatBytesExact(meta.lastPieceLength)}`,
      ],
      ['Private', meta.private ? 'yes' : 'no'],
      ['Created', meta.creationDate ?? '—'],
      ['Created by', meta.createdBy ?? '—'],
      ['Comment', meta.comment ?? '—'],
      ['Info size', formatBytesExact(meta.infoSize)],
      ['Magnet', meta.magnetURI],
    ]),
    '',
    'Trackers:',
    ...(meta.announceList.length === 0
      ? ['  (none)']
      : meta.announceList.flatMap((tier, i) =>
          tier.map((url) => `  tier ${i + 1}  ${escapeInvisible(url)}`),
        )),
    '',
    'Web seeds:',
    ...(meta.urlList.length === 0
      ? ['  (none)']
      : meta.urlList.map((u) => `  ${escapeInvisible(u)}`)),
    '',
    ...filesTable(meta),
  ]
  if (meta.warnings.length > 0)
    lines.push('', 'Warnings:', ...meta.warnings.map((w) => `  ${escapeInvisible(w)}`))
  if (opts.pieces) {
    const width = String(meta.pieceCount - 1).length
    lines.push(
      '',
      'Piece hashes:',
      ...meta.pieceHashes.map((h, i) => `  ${String(i).padStart(width)}  ${h}`),
    )
  }
  return lines.join('\n')
}

function labelled(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length)) + 1
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)} ${escapeInvisible(value)}`)
}

function filesTable(meta: MetaInfo): string[] {
  const header = ['Size', 'Bytes', 'Offset', 'Pieces', 'Path']
  const rows = meta.files.map((f) => [
    formatBytes(f.length),
    String(f.length),
    String(f.offset),
    f.firstPiece === f.lastPiece ? String(f.firstPiece) : `${f.firstPiece}-${f.lastPiece}`,
    escapeInvisible(f.path),
  ])
  const widths = header.map((h, c) =>
    Math.max(h.length, ...rows.map((r) => (r[c] as string).length)),
  )
  // Numbers right-aligned, the path (last column) left as is.
  const render = (r: string[]): string =>
    '  ' +
    r.map((cell, c) => (c === r.length - 1 ? cell : cell.padStart(widths[c] as number))).join('  ')
  return ['Files:', render(header), ...rows.map(render)]
}

export function formatMagnet(m: MagnetInfo): string {
  return [
    ...labelled([
      ['Name', m.name ?? '—'],
      ['Info hash', m.infoHash],
      ['Magnet', m.magnetURI],
    ]),
    '',
    'Trackers:',
    ...(m.trackers.length === 0 ? ['  (none)'] : m.trackers.map((t) => `  ${escapeInvisible(t)}`)),
    ...(m.webSeeds.length > 0
      ? ['', 'Web seeds:', ...m.webSeeds.map((w) => `  ${escapeInvisible(w)}`)]
      : []),
    ...(m.peers.length > 0 ? ['', 'Peers:', ...m.peers.map((p) => `  ${escapeInvisible(p)}`)] : []),
    '',
    'The file list, sizes and pieces are only known once the metadata arrives from peers.',
  ].join('\n')
}

export function magnetJson(m: MagnetInfo): MagnetInfo {
  return { ...m }
}

/** A bare v1 info hash, hex or base32; parseTorrentLink validates it fully. */
export function looksLikeInfoHash(s: string): boolean {
  return /^([0-9a-f]{40}|[a-z2-7]{32})$/i.test(s.trim())
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  )
}
