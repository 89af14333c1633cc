/**
 * The seam between the engine and a BitTorrent stack, in Seedling's own terms: the engine hands over
 * decoded torrents, folders and resume data, and reads back plain numbers and DTOs. Exactly one
 * implementation talks to webtorrent (webtorrent-backend.ts); tests drive the engine with a fake.
 */
import type { EncryptionPolicy, PeerEntry, WebSeedState } from '@shared/api'
import type { DecodedTorrent } from '../metainfo'
import type { TrackerTiers } from './tracker-tiers'

/** Settings the stack takes when a client starts (rate limits can also change while it runs). */
export interface ClientSettings {
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
  /** DHT nodes (host:port) to bootstrap from instead of the public routers; tests pass local ones. */
  dhtBootstrap?: string[]
}

/** What a clean stop recorded: pieces verified then, with each file's state at that moment. */
export interface ResumeHint {
  /** Packed, most significant bit first (as on the wire). */
  bitfield: Uint8Array
  fileModtimes: Array<number | null>
  fileSizes: Array<number | null>
}

export interface AddSpec {
  infoHash: string
  /** The torrent's files live below this folder, never outside it. */
  downloadDir: string
  /** Null for a magnet link whose metadata is still to come from peers. */
  decoded: DecodedTorrent | null
  magnetURI: string
  /** Every tracker the torrent announces to, tier by tier (the torrent's own or the list as edited). */
  trackers: string[]
  /** The same trackers as tiers in announce order; kept by the engine so a pause keeps the order. */
  trackerTiers: TrackerTiers
  /** Null: the torrent's own web seeds (BEP 19); else the list as edited. */
  webSeeds: string[] | null
  /** Dialled as soon as the torrent is added (ip:port). */
  peers: string[]
  /** Peers (ip:port and peer ids) never to connect to again. */
  bannedPeers: string[]
  /** Null: every file. Applied again whenever the stack learns the file list. */
  selectedFiles: number[] | null
  /** Only with `decoded`: lets a start skip rehashing what a clean stop verified. */
  resume: ResumeHint | null
  /** Judges an info dictionary fetched from peers; throws to refuse it. */
  onInfoDictionary(infoBuffer: Uint8Array): DecodedTorrent
}

export interface TrackerReply {
  announce: string
  seeders: number | null
  leechers: number | null
}

/** A non-fatal problem the stack reports: a tracker's failure, a piece that failed its hash... */
export interface StackWarning {
  message: string
  /** The tracker's URL, when the stack tagged the warning with it. */
  announce: string | null
}

/** What one added torrent reports; a torrent's events stop once it is removed. */
export interface TorrentEvents {
  metadata(): void
  /** A piece was verified and written to disk. */
  verified(piece: number): void
  done(): void
  /** The torrent failed: the stack has stopped it. */
  error(message: string): void
  banned(address: string, peerId: string | null): void
  trackerReply(reply: TrackerReply): void
  warning(warning: StackWarning): void
}

export interface TorrentCounters {
  /** Bytes since this torrent was added to the stack. */
  downloaded: number
  uploaded: number
}

/** A web seed as the stack reports it; its text is shown only after the engine sanitizes it. */
export interface WebSeedReport {
  url: string
  state: WebSeedState
  /** Bytes received from it since the torrent was added to the stack. */
  downloaded: number
  error: string | null
  /** When it is tried again, ms since the epoch; null unless backing off. */
  retryAt: number | null
}

export interface SwarmCounts {
  peers: number
  seeds: number
}

/** One torrent inside the stack. Reads are side-effect free. */
export interface BackendTorrent {
  /** The data on disk has been checked, so the verified pieces are final. */
  readonly ready: boolean
  counters(): TorrentCounters
  /** Verified pieces, packed MSB first; null before the metadata is known. */
  verifiedPieces(): Uint8Array | null
  /** Pieces requested or partly received, not yet verified. */
  inProgressPieces(): number[]
  peers(pieceCount: number): PeerEntry[]
  swarm(pieceCount: number): SwarmCounts
  /** When the trackers are next announced to (a walk through the tiers), ms since the epoch; null while a walk runs. */
  nextAnnounceAt(): number | null
  webSeeds(): WebSeedReport[]
  /** Null selects every file. */
  selectFiles(selected: number[] | null): void
  /** Announces to a new list from now on (`trackers` as in AddSpec). */
  setTrackers(trackers: string[], tiers: TrackerTiers): void
  /** An announce now: to the one tracker named, or down the tiers from the top. */
  reannounce(url: string | null): void
  setWebSeeds(urls: string[]): void
  /** Stops the torrent, keeping its files; resolves once they are closed. */
  remove(): Promise<void>
}

export interface ClientFailure {
  message: string
  code: string | null
  /** The client stopped (its torrents with it): the engine must start a new one. */
  fatal: boolean
}

export interface ClientStats {
  /** 0 until the client listens. */
  port: number
}

export interface TorrentBackend {
  readonly webrtcAvailable: boolean
  /** Starts a client (replacing a stopped one); throws when the stack is not the one Seedling needs. */
  start(settings: ClientSettings, onFailure: (failure: ClientFailure) => void): void
  /** Stops the client and every torrent in it. */
  stop(): Promise<void>
  setRateLimits(downloadLimit: number, uploadLimit: number): void
  add(spec: AddSpec, events: TorrentEvents): BackendTorrent
  stats(): ClientStats
  /** The stack caps connections per torrent only: this closes the slowest ones above `max` overall. */
  capConnections(max: number): void
}
