/**
 * The one API contract between the engine and every client (Electron IPC, WebSocket, CLI, tests).
 * Every command, event and DTO is declared here once; everything else derives from it.
 */
import type {
  AddTorrentRequest,
  CreateTorrentRequest,
  FileSelectionRequest,
  InfoHashRequest,
  InfoHashesRequest,
  MoveTorrentRequest,
  RemoveTorrentRequest,
  Settings,
  SettingsPatch,
  TorrentSource,
} from './schema'
import type {
  EditTrackersRequest,
  EditWebSeedsRequest,
  ReannounceRequest,
} from './tracker-schemas'

import type { SetLabelsRequest } from './label-schemas'

export type { EditTrackersRequest, EditWebSeedsRequest, ReannounceRequest } from './tracker-schemas'
export type { SetLabelsRequest } from './label-schemas'

export type {
  AddTorrentRequest,
  CreateTorrentRequest,
  EncryptionPolicy,
  FileSelectionRequest,
  InfoHashRequest,
  InfoHashesRequest,
  MoveTorrentRequest,
  RemoveTorrentRequest,
  Settings,
  SettingsPatch,
  TorrentSource,
} from './schema'

/** 40 lowercase hex characters: the v1 info hash. */
export type InfoHash = string

export type TorrentStatus =
  'checking' | 'fetching-metadata' | 'downloading' | 'seeding' | 'paused' | 'error'

/** One file as the torrent describes it, after path sanitization. */
export interface MetaFile {
  /** `/`-separated; starts with the torrent's name for multi-file torrents. */
  path: string
  length: number
  /** Byte offset of the file within the torrent's concatenated data. */
  offset: number
  firstPiece: number
  lastPiece: number
  /** A BEP 47 padding file: zeros aligning the next file, never written or listed for the user. */
  padding?: true
}

/** Every field of a v1 torrent's meta-info, decoded and validated. */
export interface MetaInfo {
  infoHash: InfoHash
  name: string
  announce: string | null
  /** Tiers of tracker URLs (BEP 12); a single tier of `announce` when the file has no list. */
  announceList: string[][]
  /** Web seeds (BEP 19). */
  urlList: string[]
  pieceLength: number
  pieceCount: number
  lastPieceLength: number
  /** SHA-1 of every piece, lowercase hex. */
  pieceHashes: string[]
  length: number
  multiFile: boolean
  files: MetaFile[]
  private: boolean
  comment: string | null
  createdBy: string | null
  /** ISO 8601, or null when absent. */
  creationDate: string | null
  /** Size of the bencoded info dictionary as stored in the file. */
  infoSize: number
  magnetURI: string
  /** Where a name or path had to be changed to be safe on disk, one line each. */
  warnings: string[]
}

/** What a magnet link says before its metadata arrives. */
export interface MagnetInfo {
  infoHash: InfoHash
  name: string | null
  trackers: string[]
  webSeeds: string[]
  peers: string[]
  magnetURI: string
}

export type InspectResult =
  { kind: 'torrent'; meta: MetaInfo } | { kind: 'magnet'; magnet: MagnetInfo }

export interface TorrentSummary {
  infoHash: InfoHash
  name: string
  status: TorrentStatus
  /** The user paused it: it stays paused even while its data on disk is being checked ('checking'). */
  paused: boolean
  error: string | null
  /** Why it cannot make progress as it stands (e.g. no way to find peers); shown with its status. */
  note?: string | null
  hasMetadata: boolean
  /** 0..1 over the selected files. */
  progress: number
  /** Total size of the torrent in bytes (0 until metadata is known). */
  length: number
  /** Bytes of the selected files. */
  selectedLength: number
  /** Verified bytes of the selected files on disk. */
  completedLength: number
  downloaded: number
  uploaded: number
  downloadedTotal: number
  uploadedTotal: number
  downloadSpeed: number
  uploadSpeed: number
  /** Seconds until done at the current speed; null when unknown or done. */
  eta: number | null
  ratio: number
  peers: number
  seeds: number
  addedAt: string
  completedAt: string | null
  downloadDir: string
  magnetURI: string
  /** The user's category for it (labels.ts), null for none. */
  category: string | null
  /** The user's tags for it, in the order given. */
  tags: string[]
}

export interface FileEntry {
  index: number
  path: string
  length: number
  downloaded: number
  progress: number
  selected: boolean
}

export type ConnectionType = 'tcp' | 'utp' | 'webrtc' | 'webseed'

export interface PeerEntry {
  address: string
  port: number
  client: string
  connectionType: ConnectionType
  encrypted: boolean
  amChoking: boolean
  amInterested: boolean
  peerChoking: boolean
  peerInterested: boolean
  downloadSpeed: number
  uploadSpeed: number
  downloaded: number
  uploaded: number
  /** 0..1, from the peer's bitfield. */
  progress: number
}

export type TrackerStatus = 'idle' | 'announcing' | 'working' | 'error'

export interface TrackerEntry {
  url: string
  tier: number
  status: TrackerStatus
  lastAnnounce: string | null
  nextAnnounce: string | null
  seeders: number | null
  leechers: number | null
  error: string | null
}

/** `backoff`: its last request failed and it waits until `nextRetry`; `error`: the stack closed it. */
export type WebSeedState = 'active' | 'idle' | 'backoff' | 'error'

/** A web seed (BEP 19 `url-list`) of a torrent. */
export interface WebSeedInfo {
  url: string
  state: WebSeedState
  /** Bytes received from it while the torrent has been running. */
  downloaded: number
  /** Why its last request failed; null once one succeeds. */
  error: string | null
  /** ISO 8601; set while backing off. */
  nextRetry: string | null
}

export interface PieceMap {
  infoHash: InfoHash
  pieceCount: number
  /** Verified pieces as a packed bitfield (MSB first, like the wire protocol), base64. */
  have: string
  /** Pieces with blocks requested or received but not yet verified. */
  inProgress: number[]
}

/** Meta-info without the piece hashes, which are megabytes for big torrents and not needed live. */
export type MetaInfoView = Omit<MetaInfo, 'pieceHashes'>

export interface TorrentDetail {
  summary: TorrentSummary
  meta: MetaInfoView | null
  files: FileEntry[]
  peers: PeerEntry[]
  trackers: TrackerEntry[]
  webSeeds: WebSeedInfo[]
}

export interface WebRtcStatus {
  available: boolean
  /** Why WebRTC peers are off, shown to the user. */
  note: string | null
}

export interface EngineStats {
  downloadSpeed: number
  uploadSpeed: number
  peers: number
  torrents: number
  downloading: number
  seeding: number
  port: number
  /** Free bytes in the default download folder; null when the platform cannot tell. */
  freeSpace: number | null
  webrtc: WebRtcStatus
  /** Set when the saved session could not be used as it was (e.g. restored from the backup). */
  sessionWarning: string | null
}

export interface FetchTorrentUrlRequest {
  url: string
}

export interface FetchTorrentUrlResult {
  /** The file's bytes, base64: an add source of kind `file`. */
  data: string
  /** The last segment of the URL's path, to label the add dialog. */
  fileName: string
}

export interface CreateTorrentResult {
  meta: MetaInfo
  /** Where the .torrent was written. */
  torrentPath: string
  /**
   * The .torrent itself, base64 (at most MAX_TORRENT_FILE_BASE64_CHARS): `torrentPath` is on the engine's
   * machine, so a browser client offers these bytes as a download.
   */
  torrentFile: string
  /** The torrent as now seeded, when `seed` was asked for. */
  torrent: TorrentSummary | null
}

export interface CreateProgress {
  requestId: string
  hashedBytes: number
  totalBytes: number
}

export interface AddTorrentResult {
  torrent: TorrentSummary
  /** True when the torrent was already in the session; nothing new was added. */
  duplicate: boolean
}

export interface SeedlingApi {
  listTorrents(): Promise<TorrentSummary[]>
  getTorrent(req: InfoHashRequest): Promise<TorrentDetail>
  getPieces(req: InfoHashRequest): Promise<PieceMap>
  inspectTorrent(req: TorrentSource): Promise<InspectResult>
  /**
   * Fetches a .torrent by http(s) URL for the add dialog, within the .torrent size cap and a deadline;
   * `seedling serve` refuses non-public addresses (`forbidden`, docs/threat-model.md).
   */
  fetchTorrentUrl(req: FetchTorrentUrlRequest): Promise<FetchTorrentUrlResult>
  addTorrent(req: AddTorrentRequest): Promise<AddTorrentResult>
  pauseTorrents(req: InfoHashesRequest): Promise<void>
  resumeTorrents(req: InfoHashesRequest): Promise<void>
  removeTorrent(req: RemoveTorrentRequest): Promise<void>
  recheckTorrent(req: InfoHashRequest): Promise<void>
  setFileSelection(req: FileSelectionRequest): Promise<void>
  moveTorrent(req: MoveTorrentRequest): Promise<void>
  getSettings(): Promise<Settings>
  updateSettings(req: SettingsPatch): Promise<Settings>
  getStats(): Promise<EngineStats>
  createTorrent(req: CreateTorrentRequest): Promise<CreateTorrentResult>
  /** Replaces a torrent's trackers (tiers, BEP 12); kept in the session. */
  editTrackers(req: EditTrackersRequest): Promise<void>
  /** Announces now, not at the next interval; `invalid` for a paused torrent. */
  reannounce(req: ReannounceRequest): Promise<void>
  /** Replaces a torrent's web seeds (BEP 19); kept in the session. */
  editWebSeeds(req: EditWebSeedsRequest): Promise<void>
  /** Sets the category and adds or removes tags of torrents (labels.ts); kept in the session. */
  setLabels(req: SetLabelsRequest): Promise<void>
}

export type ApiMethod = keyof SeedlingApi

/**
 * Every command by name, enumerable at run time; a missing or extra method is a compile error. Kept free of
 * the zod schemas (api-schemas.ts) so the preload and the renderer do not bundle them.
 */
export const apiMethodNames = {
  listTorrents: true,
  getTorrent: true,
  getPieces: true,
  inspectTorrent: true,
  fetchTorrentUrl: true,
  addTorrent: true,
  pauseTorrents: true,
  resumeTorrents: true,
  removeTorrent: true,
  recheckTorrent: true,
  setFileSelection: true,
  moveTorrent: true,
  getSettings: true,
  updateSettings: true,
  getStats: true,
  createTorrent: true,
  editTrackers: true,
  reannounce: true,
  editWebSeeds: true,
  setLabels: true,
} as const satisfies Record<ApiMethod, true>

export const apiMethods = Object.keys(apiMethodNames) as ApiMethod[]

export interface SeedlingEvents {
  /** Summaries of torrents that changed since the last tick (about 1 Hz). */
  'torrents:changed': TorrentSummary[]
  'torrent:added': TorrentSummary
  'torrent:removed': InfoHash
  /** A torrent finished downloading everything selected. */
  'torrent:done': InfoHash
  'torrent:error': { infoHash: InfoHash; error: string }
  stats: EngineStats
  'create:progress': CreateProgress
}

export type EventName = keyof SeedlingEvents

export const eventNames = {
  'torrents:changed': true,
  'torrent:added': true,
  'torrent:removed': true,
  'torrent:done': true,
  'torrent:error': true,
  stats: true,
  'create:progress': true,
} as const satisfies Record<EventName, true>

/** An API error with a one-line message that is safe to show to the user. */
export class SeedlingError extends Error {
  constructor(
    message: string,
    readonly code: SeedlingErrorCode = 'invalid',
  ) {
    super(message)
    this.name = 'SeedlingError'
  }
}

/**
 * `forbidden`: a path the engine will not touch (outside the roots `seedling serve` was given, or a
 * protected folder); `locked`: another Seedling already runs on the state folder.
 */
export const seedlingErrorCodes = [
  'invalid',
  'not-found',
  'duplicate',
  'forbidden',
  'locked',
  'io',
  'internal',
] as const

export type SeedlingErrorCode = (typeof seedlingErrorCodes)[number]
