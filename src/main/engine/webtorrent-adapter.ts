/**
 * The only importer of webtorrent. It creates clients with Seedling's settings, hands torrents to it as
 * parsed objects built from our own strict decoder (so webtorrent never parses or names anything itself),
 * and maps webtorrent's objects to the contract's DTOs. Nothing else in Seedling touches webtorrent.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import WebTorrent from 'webtorrent'
import { version } from '../../../package.json'
import peerid from 'bittorrent-peerid'
import type { ConnectionType, EncryptionPolicy, PeerEntry } from '../../shared/api'
import { MAX_TRACKERS_PER_TORRENT } from '../../shared/schema'
import type { DecodedTorrent } from './metainfo'

/** The parts of webtorrent's Wire (bittorrent-protocol) that Seedling reads. */
export interface WtWire {
  remoteAddress?: string
  remotePort?: number
  type: string
  peerId?: string
  amChoking: boolean
  amInterested: boolean
  peerChoking: boolean
  peerInterested: boolean
  downloaded: number
  uploaded: number
  downloadSpeed(): number
  uploadSpeed(): number
  peerPieces: { get(index: number): boolean }
  /** 2 when the payload is RC4-encrypted; 1 when an MSE handshake settled on plaintext data. */
  _encryptionMethod?: number | null
  destroy(): void
}

export interface WtFile {
  path: string
  length: number
  downloaded: number
  progress: number
  select(priority?: number): void
  deselect(): void
}

export interface WtTracker {
  announceUrl: string
  /** Set by Seedling's bittorrent-tracker patch: the announce interval in force, in ms. */
  intervalMs?: number
}

export interface WtTorrent {
  infoHash: string
  name?: string
  ready: boolean
  done: boolean
  paused: boolean
  destroyed: boolean
  metadata: Uint8Array | null
  length: number
  pieceLength: number
  lastPieceLength: number
  files: WtFile[]
  wires: WtWire[]
  bitfield?: { buffer: Uint8Array; get(index: number): boolean }
  pieces: Array<unknown | null>
  _reservations?: Array<unknown[] | null>
  downloaded: number
  uploaded: number
  received: number
  downloadSpeed: number
  uploadSpeed: number
  numPeers: number
  discovery?: {
    tracker?: {
      _trackers?: WtTracker[]
      on(event: string, fn: (...args: unknown[]) => void): void
    }
  }
  on(event: string, fn: (...args: never[]) => void): void
  once(event: string, fn: (...args: never[]) => void): void
  removeListener(event: string, fn: (...args: never[]) => void): void
  addPeer(addr: string): boolean
  select(start: number, end: number, priority?: number): void
  deselect(start: number, end: number): void
  /** Seedling's patch adds the sizes (third argument) so a resized file is never trusted. */
  getFileModtimes(
    cb: (
      err: Error | null,
      modtimes: Array<number | undefined>,
      sizes: Array<number | undefined>,
    ) => void,
  ): void
  destroy(opts: { destroyStore?: boolean }, cb?: (err?: Error) => void): void
}

export interface WtClient {
  torrents: WtTorrent[]
  listening: boolean
  downloadSpeed: number
  uploadSpeed: number
  destroyed: boolean
  add(torrentId: unknown, opts: Record<string, unknown>): WtTorrent
  /** Async in webtorrent 3: it rejects when the torrent is no longer in the client. */
  remove(
    torrent: WtTorrent,
    opts: { destroyStore: boolean },
    cb: (err?: Error) => void,
  ): Promise<void> | void
  address(): { port: number } | null
  throttleDownload(rate: number): void
  throttleUpload(rate: number): void
  on(event: string, fn: (...args: never[]) => void): void
  once(event: string, fn: (...args: never[]) => void): void
  destroy(cb: (err?: Error) => void): void
}

export interface ClientOptions {
  port: number
  dht: boolean
  lsd: boolean
  pex: boolean
  natTraversal: boolean
  encryption: EncryptionPolicy
  /** Bytes per second, 0 for unlimited. */
  downloadLimit: number
  uploadLimit: number
  maxConnectionsPerTorrent: number
}

export const webrtcSupported: boolean = Boolean(
  (WebTorrent as unknown as { WEBRTC_SUPPORT?: boolean }).WEBRTC_SUPPORT,
)

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

export function createClient(opts: ClientOptions): WtClient {
  const Ctor = WebTorrent as unknown as new (o: Record<string, unknown>) => WtClient
  return new Ctor({
    peerId: newPeerId(),
    userAgent: `Seedling/${version}`,
    torrentPort: opts.port,
    dht: opts.dht,
    lsd: opts.lsd,
    utPex: opts.pex,
    natUpnp: opts.natTraversal,
    natPmp: opts.natTraversal,
    secure: secureLevel[opts.encryption],
    maxConns: opts.maxConnectionsPerTorrent,
    downloadLimit: opts.downloadLimit > 0 ? opts.downloadLimit : -1,
    uploadLimit: opts.uploadLimit > 0 ? opts.uploadLimit : -1,
    // Trackers come from each torrent; no default trackers are ever added behind the user's back.
    // bittorrent-tracker (patched) announces to no more than the budget, whatever their sources.
    tracker: { maxTrackers: MAX_TRACKERS_PER_TORRENT },
    webSeeds: true,
  })
}

export function applyRateLimits(
  client: WtClient,
  downloadLimit: number,
  uploadLimit: number,
): void {
  client.throttleDownload(downloadLimit > 0 ? downloadLimit : -1)
  client.throttleUpload(uploadLimit > 0 ? uploadLimit : -1)
}

/**
 * webtorrent's parsed-torrent shape, built from our decoder's output. Its `files[].path` are the sanitized
 * segments, so the chunk store writes only below the torrent's own folder.
 */
export function toParsedTorrent(
  decoded: DecodedTorrent,
  extraTrackers: string[],
): Record<string, unknown> {
  const meta = decoded.meta
  const announce = [...new Set([...decoded.announce, ...extraTrackers])]
  const files = decoded.files.map((f) => ({
    path: path.join(...f.segments),
    name: f.segments[f.segments.length - 1],
    length: f.length,
    offset: f.offset,
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
    urlList: meta.urlList,
    files,
    length: meta.length,
    pieceLength: meta.pieceLength,
    lastPieceLength: meta.lastPieceLength,
    pieces: meta.pieceHashes,
  }
}

function connectionType(wire: WtWire): ConnectionType {
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

export function toPeerEntry(wire: WtWire, pieceCount: number): PeerEntry {
  let have = 0
  for (let i = 0; i < pieceCount; i++) if (wire.peerPieces.get(i)) have++
  return {
    address: wire.remoteAddress ?? '',
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

export function isSeeder(wire: WtWire, pieceCount: number): boolean {
  if (pieceCount === 0) return false
  for (let i = 0; i < pieceCount; i++) if (!wire.peerPieces.get(i)) return false
  return true
}

/** Pieces with outstanding block reservations: requested or partly received, not yet verified. */
export function inProgressPieces(torrent: WtTorrent): number[] {
  const out: number[] = []
  const reservations = torrent._reservations ?? []
  for (let i = 0; i < torrent.pieces.length; i++) {
    const r = reservations[i]
    if (torrent.pieces[i] && r && r.some(Boolean)) out.push(i)
  }
  return out
}

export function trackersOf(torrent: WtTorrent): WtTracker[] {
  return torrent.discovery?.tracker?._trackers ?? []
}
