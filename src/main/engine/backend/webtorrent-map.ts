/**
 * Translations between Seedling's terms and webtorrent's: client options, parsed torrents built from our
 * own strict decoder (so webtorrent never parses or names anything itself), and wires as PeerEntry DTOs.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import type { ClientOptions, ParsedTorrentLike, Torrent, Wire } from 'webtorrent'
import peerid from 'bittorrent-peerid'
import { version } from '../../../../package.json'
import type { ConnectionType, EncryptionPolicy, PeerEntry } from '@shared/api'
import { MAX_TRACKERS_PER_TORRENT } from '@shared/schema'
import type { DecodedTorrent } from '../metainfo'
import type { ClientSettings } from './types'
import { MAX_WEB_SEEDS_PER_TORRENT } from '@shared/tracker-list'

/** webtorrent's `secure`: 0 plaintext only, 1 MSE/PE offered with plaintext accepted, 2 encrypted only. */
const secureLevel: Record<EncryptionPolicy, number> = { disable: 0, prefer: 1, require: 2 }

/** Azureus-style client tag: peers show "Seedling x.y.z" (decoded by clientName below). */
const PEER_ID_PREFIX = `-SL${version
  .split('.')
  .slice(0, 3)
  .map((n) => Number(n).toString(36).slice(-1).toUpperCase())
  .join('')}0-`

export function newPeerId(): Buffer {
  return Buffer.concat([
    Buffer.from(PEER_ID_PREFIX, 'latin1'),
    randomBytes(20 - PEER_ID_PREFIX.length),
  ])
}

/** webtorrent reads -1 as "unlimited". */
export const rateOption = (limit: number): number => (limit > 0 ? limit : -1)

export function clientOptions(opts: ClientSettings): ClientOptions {
  return {
    peerId: newPeerId(),
    userAgent: `Seedling/${version}`,
    torrentPort: opts.port,
    dht: opts.dht && opts.dhtBootstrap ? { bootstrap: opts.dhtBootstrap } : opts.dht,
    lsd: opts.lsd,
    utPex: opts.pex,
    natUpnp: opts.natTraversal,
    natPmp: opts.natTraversal,
    secure: secureLevel[opts.encryption],
    maxConns: opts.maxConnectionsPerTorrent,
    downloadLimit: rateOption(opts.downloadLimit),
    uploadLimit: rateOption(opts.uploadLimit),
    // Trackers come from each torrent; no default trackers are ever added behind the user's back.
    // bittorrent-tracker (patched) announces to no more than the budget, whatever their sources.
    tracker: { maxTrackers: MAX_TRACKERS_PER_TORRENT },
    webSeeds: true,
  }
}

/**
 * webtorrent's parsed-torrent shape, built from our decoder's output. Its `files[].path` are the sanitized
 * segments, so the chunk store writes only below the torrent's own folder.
 */
export function toParsedTorrent(
  decoded: DecodedTorrent,
  extraTrackers: string[],
): ParsedTorrentLike {
  const meta = decoded.meta
  const announce = [...new Set([...decoded.announce, ...extraTrackers])]
  const files = decoded.files.map((f) => ({
    path: path.join(...f.segments),
    name: f.segments[f.segments.length - 1] ?? '',
    length: f.length,
    offset: f.offset,
    padding: f.pad,
  }))
  return {
    info: decoded.info,
    infoBuffer: decoded.infoBuffer,
    infoHash: meta.infoHash,
    infoHashBuffer: Buffer.from(meta.infoHash, 'hex'),
    name: decoded.files[0]?.segments[0] ?? meta.name,
    private: meta.private,
    created: meta.creationDate ? new Date(meta.creationDate) : undefined,
    createdBy: meta.createdBy ?? undefined,
    comment: meta.comment ?? undefined,
    announce,
    urlList: meta.urlList.slice(0, MAX_WEB_SEEDS_PER_TORRENT),
    files,
    length: meta.length,
    pieceLength: meta.pieceLength,
    lastPieceLength: meta.lastPieceLength,
    pieces: meta.pieceHashes,
  }
}

function connectionType(wire: Wire): ConnectionType {
  if (wire.type === 'webSeed') return 'webseed'
  if (wire.type === 'webrtc') return 'webrtc'
  return wire.type.startsWith('utp') ? 'utp' : 'tcp'
}

export function clientName(peerIdHex: string | undefined): string {
  if (!peerIdHex) return 'unknown'
  const seedling = /^-SL([0-9A-Z])([0-9A-Z])([0-9A-Z])0-/.exec(
    Buffer.from(peerIdHex, 'hex').toString('latin1'),
  )
  if (seedling) {
    return `Seedling ${seedling
      .slice(1, 4)
      .map((d) => parseInt(d!, 36))
      .join('.')}`
  }
  try {
    const parsed = peerid(Buffer.from(peerIdHex, 'hex')) as { client?: string; version?: string }
    const client = parsed.client ?? 'unknown'
    return parsed.version ? `${client} ${parsed.version}` : client
  } catch {
    return 'unknown'
  }
}

/** An IPv4 peer that reached a dual-stack socket shows as `::ffff:a.b.c.d`: it is shown as IPv4. */
export function peerAddress(address: string | undefined): string {
  return /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address ?? '')?.[1] ?? address ?? ''
}

export function toPeerEntry(wire: Wire, pieceCount: number): PeerEntry {
  let have = 0
  for (let i = 0; i < pieceCount; i++) if (wire.peerPieces.get(i)) have++
  return {
    address: peerAddress(wire.remoteAddress),
    port: wire.remotePort ?? 0,
    client: wire.type === 'webSeed' ? 'web seed' : clientName(wire.peerId),
    connectionType: connectionType(wire),
    // "Encrypted" means the data is, as qBittorrent's E flag: an MSE handshake that settled on
    // plaintext payload is not.
    encrypted: wire._encryptionMethod === 2,
    amChoking: wire.amChoking,
    amInterested: wire.amInterested,
    peerChoking: wire.peerChoking,
    peerInterested: wire.peerInterested,
    downloadSpeed: Math.round(wire.downloadSpeed()),
    uploadSpeed: Math.round(wire.uploadSpeed()),
    downloaded: wire.downloaded,
    uploaded: wire.uploaded,
    progress: pieceCount > 0 ? have / pieceCount : 0,
  }
}

export function isSeeder(wire: Wire, pieceCount: number): boolean {
  if (pieceCount === 0) return false
  for (let i = 0; i < pieceCount; i++) if (!wire.peerPieces.get(i)) return false
  return true
}

/** Pieces with outstanding block reservations: requested or partly received, not yet verified. */
export function inProgressPieces(torrent: Torrent): number[] {
  const out: number[] = []
  const reservations = torrent._reservations ?? []
  for (let i = 0; i < torrent.pieces.length; i++) {
    const r = reservations[i]
    if (torrent.pieces[i] && r && r.some(Boolean)) out.push(i)
  }
  return out
}
