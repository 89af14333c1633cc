/**
 * TorrentEngine: the one owner of the torrent session. It implements the API contract over webtorrent
 * (through webtorrent-adapter.ts), persists the session, and emits throttled snapshots. It imports no
 * Electron, so the CLI, the headless server, the desktop app and the tests all run the same code.
 */
import { randomInt } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type {
  AddTorrentRequest,
  AddTorrentResult,
  CreateTorrentRequest,
  CreateTorrentResult,
  EngineStats,
  FileEntry,
  FileSelectionRequest,
  InfoHashRequest,
  InfoHashesRequest,
  InspectResult,
  MetaInfo,
  MetaInfoView,
  MoveTorrentRequest,
  PieceMap,
  RemoveTorrentRequest,
  SeedlingApi,
  SeedlingEvents,
  Settings,
  SettingsPatch,
  TorrentDetail,
  TorrentSource,
  TorrentStatus,
  TorrentSummary,
  TrackerEntry,
} from '../../shared/api'
import { SeedlingError } from '../../shared/api'
import { MAX_PORT } from '../../shared/limits'
import { CreateTorrentRequestSchema, SettingsSchema } from '../../shared/schema'
import { writeFileAtomic } from './atomic-file'
import { SeedlingChunkStore } from './chunk-store'
import { createTorrentFile } from './create'
import { FileStateRecorder, statTorrentFile } from './file-state'
import type { DecodedTorrent } from './metainfo'
import { decodeInfoDictionary, decodeTorrentFile, MetaInfoError } from './metainfo'
import { parseTorrentLink } from './magnet'
import { PathGuard } from './path-guard'
import { resolveInside } from './safe-path'
import type { ResumeData, SessionFile, TorrentRecord } from './session'
import { SESSION_VERSION, SessionStore } from './session'
import type { StateLock } from './state-lock'
import { acquireStateLock } from './state-lock'
import { deleteTorrentData, moveTorrentData } from './torrent-data'
import { buildTorrentFile } from './torrent-file'
import { trackerText } from './tracker-text'
import { TypedEmitter } from './typed-emitter'
import type { WtClient, WtTorrent } from './webtorrent-adapter'
import {
  applyRateLimits,
  createClient,
  inProgressPieces,
  isSeeder,
  toParsedTorrent,
  toPeerEntry,
  trackersOf,
} from './webtorrent-adapter'
import { webrtcStatus } from './webrtc'

export interface EngineOptions {
  stateDir: string
  /** Used when the session has no download folder yet. */
  defaultDownloadDir: string
  /** Applied over the saved settings for this run only (CLI flags); not written to the session. */
  overrides?: SettingsPatch
  /** Peers every torrent connects to directly (CLI `--peer`, tests on loopback). */
  peers?: string[]
  /** Snapshot period; about 1 Hz keeps the UI live without flooding it. */
  tickMs?: number
  /** How often the session is saved while running (default 30 s). */
  saveEveryMs?: number
  /**
   * `seedling serve`: every path a client names (download folders, files to share, .torrent outputs) must
   * be inside one of these folders (folder-policy.ts). Absent for the desktop app and the CLI.
   */
  allowedRoots?: string[]
  log?: (message: string) => void
}

export const defaultSettings = (downloadDir: string): Settings => ({
  downloadDir,
  port: 0,
  downloadLimit: 0,
  uploadLimit: 0,
  maxConnections: 200,
  maxConnectionsPerTorrent: 55,
  dht: true,
  pex: true,
  lsd: true,
  natTraversal: true,
  encryption: 'prefer',
})

/** Settings that webtorrent only reads when a client is created. */
const clientLevelKeys = [
  'port',
  'dht',
  'lsd',
  'pex',
  'natTraversal',
  'encryption',
  'maxConnectionsPerTorrent',
] as const satisfies ReadonlyArray<keyof Settings>

interface TrackerState {
  status: TrackerEntry['status']
  lastAnnounce: number | null
  seeders: number | null
  leechers: number | null
  error: string | null
}

interface Entry {
  record: TorrentRecord
  decoded: DecodedTorrent | null
  wt: WtTorrent | null
  error: string | null
  /** Counters already folded into the record's totals, per attachment of `wt`. */
  foldedDown: number
  foldedUp: number
  sessionDown: number
  sessionUp: number
  trackers: Map<string, TrackerState>
  /** Peers (ip:port and peer ids) banned for bad data; kept while the engine runs, across re-adds. */
  banned: Set<string>
  /** Files' states when their data was last verified, for the resume data (per attachment). */
  fileStates: FileStateRecorder | null
  lastSent: string
}

const SAVE_EVERY_MS = 30_000

/** Monotonic: a wall clock set back (NTP, the user, a VM resumed) must not stop periodic work. */
const monotonicNow = (): number => performance.now()

export class TorrentEngine extends TypedEmitter<SeedlingEvents> implements SeedlingApi {
  private client: WtClient
  private readonly entries = new Map<string, Entry>()
  private timer: NodeJS.Timeout | null = null
  private lastSave = monotonicNow()
  private closed = false
  private saving: Promise<void> = Promise.resolve()
  private lastStats = ''
  private freeSpace: number | null = null
  private freeSpaceCheckedAt = 0

  private constructor(
    private readonly store: SessionStore,
    private settings: Settings,
    private readonly overrides: SettingsPatch,
    private readonly opts: EngineOptions,
    private readonly lock: StateLock,
    private readonly guard: PathGuard,
    /** The session as loaded, to be saved back with everything not in memory. */
    readonly loadWarning: string | null,
  ) {
    super()
    this.client = this.newClient()
  }

  /** Opens the session in `stateDir` and starts every torrent that was not paused. */
  static async open(opts: EngineOptions): Promise<TorrentEngine> {
    // Before the session is read: a second engine on this folder must not load it, let alone save it.
    const lock = await acquireStateLock(opts.stateDir)
    try {
      return await TorrentEngine.openLocked(opts, lock)
    } catch (err) {
      await lock.release()
      throw err
    }
  }

  private static async openLocked(opts: EngineOptions, lock: StateLock): Promise<TorrentEngine> {
    const guard = await PathGuard.create({
      stateDir: opts.stateDir,
      allowedRoots: opts.allowedRoots,
    })
    const store = new SessionStore(opts.stateDir)
    const { session, warning } = await store.load()
    const saved = SettingsSchema.partial().parse(session.settings)
    // A fixed listening port, picked once and kept, lets users forward it in their router.
    const firstPort = saved.port === undefined ? { port: randomListenPort() } : {}
    const base = { ...defaultSettings(opts.defaultDownloadDir), ...firstPort, ...saved }
    const overrides = opts.overrides ?? {}
    const settings = SettingsSchema.parse({ ...base, ...overrides })
    const engine = new TorrentEngine(store, settings, overrides, opts, lock, guard, warning)
    if (warning) engine.log(warning)
    await engine.restore(session)
    engine.timer = setInterval(() => engine.tick(), opts.tickMs ?? 1000)
    engine.timer.unref()
    return engine
  }

  private log(message: string): void {
    this.opts.log?.(message)
  }

  private newClient(port = this.settings.port): WtClient {
    const client = createClient({ ...this.settings, port })
    client.on('error', (err: Error) => this.onClientError(client, err))
    return client
  }

  /**
   * webtorrent destroys its client on a fatal error, most often a listening port that is taken. The
   * torrents go with it, so a fresh client on a free port takes them over; the setting is kept, so the
   * chosen port is tried again at the next start.
   */
  private onClientError(client: WtClient, err: Error): void {
    this.log(`engine error: ${err.message}`)
    if (client !== this.client || this.closed || !client.destroyed) return
    const code = (err as NodeJS.ErrnoException).code
    const fallback = code === 'EADDRINUSE' || code === 'EACCES' ? 0 : this.settings.port
    if (fallback === 0) this.log(`port ${this.settings.port} is not available; using a free port`)
    this.client = this.newClient(fallback)
    for (const entry of this.entries.values()) {
      if (!entry.wt) continue
      this.fold(entry)
      entry.wt = null
      this.attach(entry)
    }
  }

  private destroyClient(): Promise<void> {
    if (this.client.destroyed) return Promise.resolve()
    return new Promise<void>((resolve) => this.client.destroy(() => resolve()))
  }

  private async restore(session: SessionFile): Promise<void> {
    // Resume data is trusted only after a clean stop; after a crash every piece on disk is rehashed.
    const trustResume = session.cleanShutdown
    if (!trustResume && session.torrents.length > 0) {
      this.log('the last session did not stop cleanly; rechecking torrent data')
    }
    for (const record of session.torrents) {
      if (!trustResume) record.resume = null
      const entry = this.newEntry(record)
      const bytes = await this.store.readTorrentFile(record.infoHash)
      if (bytes) {
        try {
          entry.decoded = decodeTorrentFile(bytes)
        } catch (err) {
          entry.error = `saved torrent file is unusable: ${(err as Error).message}`
        }
      }
      this.entries.set(record.infoHash, entry)
      if (!record.paused && !entry.error) this.attach(entry)
    }
    // Mark the session as running so a crash from here on is detected at the next start.
    await this.save(false)
  }

  private newEntry(record: TorrentRecord): Entry {
    return {
      record,
      decoded: null,
      wt: null,
      error: null,
      foldedDown: 0,
      foldedUp: 0,
      sessionDown: 0,
      sessionUp: 0,
      trackers: new Map(),
      banned: new Set(),
      fileStates: null,
      lastSent: '',
    }
  }

  // ---- attaching torrents to webtorrent ----

  private attach(entry: Entry): void {
    const { record } = entry
    const resume = record.resume
    record.resume = null
    entry.error = null
    entry.foldedDown = 0
    entry.foldedUp = 0
    const torrentOpts: Record<string, unknown> = {
      path: record.downloadDir,
      // Never writes, reads or deletes through a link, nor outside the download folder.
      store: SeedlingChunkStore,
      bannedPeers: [...entry.banned],
      parseMetadata: (infoBuffer: Uint8Array) => this.onMetadataFromPeers(entry, infoBuffer),
    }
    if (resume && entry.decoded) {
      torrentOpts.bitfield = Buffer.from(resume.bitfield, 'base64')
      torrentOpts.fileModtimes = resume.fileModtimes
      torrentOpts.fileSizes = resume.fileSizes
    }
    let source: unknown
    if (entry.decoded) {
      source = toParsedTorrent(entry.decoded, record.trackers)
    } else {
      source = record.magnetURI
      torrentOpts.announce = record.trackers
    }
    const wt = this.client.add(source, torrentOpts)
    entry.wt = wt
    entry.fileStates = entry.decoded ? this.newFileStates(entry, entry.decoded, resume) : null
    wt.on('metadata', () => {
      if (entry.wt === wt && !entry.fileStates && entry.decoded) {
        entry.fileStates = this.newFileStates(entry, entry.decoded, null)
      }
    })
    // After webtorrent has written the piece: the stat sees the file with it.
    wt.on('verified', (piece: number) => {
      if (entry.wt === wt) entry.fileStates?.pieceVerified(piece)
    })
    wt.once('infoHash', () => {
      for (const peer of [...record.peers, ...(this.opts.peers ?? [])]) wt.addPeer(peer)
    })
    wt.on('metadata', () => this.applySelection(entry))
    wt.on('ready', () => this.applySelection(entry))
    // Completion is reported at once rather than on the next tick (the CLI exits on it).
    wt.on('done', () => queueMicrotask(() => this.tick()))
    wt.on('error', (err: Error) => this.onTorrentError(entry, wt, err))
    wt.on('ban', (addr: string, peerId: string | null) => {
      entry.banned.add(addr)
      if (peerId) entry.banned.add(peerId)
    })
    wt.on('warning', (err: Error) => this.onTrackerWarning(entry, err))
    this.watchTrackers(entry, wt)
  }

  private onMetadataFromPeers(entry: Entry, infoBuffer: Uint8Array): Record<string, unknown> {
    const magnetTrackers = entry.record.trackers
    const decoded = decodeInfoDictionary(infoBuffer, { announce: magnetTrackers })
    if (decoded.meta.infoHash !== entry.record.infoHash) {
      throw new MetaInfoError('metadata from peers does not match the info hash')
    }
    entry.decoded = decoded
    entry.record.name = decoded.meta.name
    const file = buildTorrentFile(decoded.infoBuffer, magnetTrackers)
    this.store.saveTorrentFile(entry.record.infoHash, file).catch((err: Error) => {
      this.log(`could not save the .torrent for ${entry.record.infoHash}: ${err.message}`)
    })
    this.scheduleSave()
    return toParsedTorrent(decoded, [])
  }

  private watchTrackers(entry: Entry, wt: WtTorrent): void {
    const tracker = wt.discovery?.tracker
    if (!tracker) {
      wt.once('ready', () => {
        if (entry.wt === wt && wt.discovery?.tracker) this.watchTrackers(entry, wt)
      })
      return
    }
    tracker.on('update', (data: unknown) => {
      const d = data as { announce?: string; complete?: number; incomplete?: number }
      if (!d.announce) return
      entry.trackers.set(d.announce, {
        status: 'working',
        lastAnnounce: Date.now(),
        seeders: typeof d.complete === 'number' ? d.complete : null,
        leechers: typeof d.incomplete === 'number' ? d.incomplete : null,
        error: null,
      })
    })
  }

  private onTrackerWarning(entry: Entry, err: Error): void {
    const message = err.message ?? String(err)
    // Seedling's bittorrent-tracker patch tags announce errors with the tracker's URL.
    const tagged = (err as Error & { announce?: unknown }).announce
    for (const url of this.trackerUrls(entry)) {
      if (tagged !== url && !message.includes(url)) continue
      const prev = entry.trackers.get(url)
      entry.trackers.set(url, {
        status: 'error',
        lastAnnounce: Date.now(),
        seeders: prev?.seeders ?? null,
        leechers: prev?.leechers ?? null,
        // The tracker chose this text: one short line of it is shown, never raw bytes.
        error: trackerText(message),
      })
    }
  }

  private onTorrentError(entry: Entry, wt: WtTorrent, err: Error): void {
    if (entry.wt !== wt) return
    const message = err instanceof Error ? err.message : String(err)
    entry.error = message
    this.fold(entry)
    entry.wt = null
    void this.removeFromClient(wt)
    this.emit('torrent:error', { infoHash: entry.record.infoHash, error: message })
  }

  private applySelection(entry: Entry): void {
    const wt = entry.wt
    const selected = entry.record.selectedFiles
    if (!wt || !selected || wt.pieces.length === 0 || wt.files.length === 0) return
    const chosen = new Set(selected)
    wt.deselect(0, wt.pieces.length - 1)
    wt.files.forEach((file, index) => {
      if (chosen.has(index)) file.select()
      else file.deselect()
    })
  }

  private newFileStates(
    entry: Entry,
    decoded: DecodedTorrent,
    resume: ResumeData | null,
  ): FileStateRecorder {
    const root = entry.record.downloadDir
    return new FileStateRecorder(
      decoded.files,
      decoded.meta.pieceLength,
      (i) => statTorrentFile(root, decoded.files[i]!.segments),
      resume,
    )
  }

  /**
   * Captures what a later start may trust: the verified pieces, with each file's state as it was
   * when its data was verified (not now: an edit since then must make the next start rehash it).
   */
  private async captureResume(entry: Entry): Promise<ResumeData | null> {
    const wt = entry.wt
    if (!wt || !wt.ready || !wt.bitfield || !entry.decoded || !entry.fileStates) return null
    const bitfield = Buffer.from(wt.bitfield.buffer).toString('base64')
    return { bitfield, ...(await entry.fileStates.snapshot()) }
  }

  /** Moves webtorrent's per-attachment counters into the all-time totals. */
  private fold(entry: Entry): void {
    const wt = entry.wt
    if (!wt) return
    const down = wt.downloaded - entry.foldedDown
    const up = wt.uploaded - entry.foldedUp
    if (down > 0) {
      entry.record.downloadedTotal += down
      entry.sessionDown += down
      entry.foldedDown = wt.downloaded
    }
    if (up > 0) {
      entry.record.uploadedTotal += up
      entry.sessionUp += up
      entry.foldedUp = wt.uploaded
    }
  }

  /** Stops a torrent's activity, keeping its data; resolves once its files are closed. */
  private async detach(entry: Entry, keepResume: boolean): Promise<void> {
    const wt = entry.wt
    if (!wt) return
    entry.record.resume = keepResume ? await this.captureResume(entry) : null
    this.fold(entry)
    entry.wt = null
    await this.removeFromClient(wt)
  }

  /**
   * Takes a torrent out of webtorrent, keeping its files; resolves once they are closed. A torrent that
   * failed was already dropped by webtorrent itself, whose remove() would then reject.
   */
  private removeFromClient(wt: WtTorrent): Promise<void> {
    if (!this.client.torrents.includes(wt)) return Promise.resolve()
    return new Promise<void>((resolve) => {
      Promise.resolve(this.client.remove(wt, { destroyStore: false }, () => resolve())).catch(
        (err: Error) => {
          this.log(`could not stop torrent ${wt.infoHash}: ${err.message}`)
          resolve()
        },
      )
    })
  }

  private getEntry(infoHash: string): Entry {
    const entry = this.entries.get(infoHash)
    if (!entry) throw new SeedlingError(`no torrent with info hash ${infoHash}`, 'not-found')
    return entry
  }

  // ---- snapshots ----

  private selectedFiles(entry: Entry): number[] {
    const count = entry.decoded?.files.length ?? 0
    const selected = entry.record.selectedFiles
    if (!selected) return Array.from({ length: count }, (_, i) => i)
    return selected.filter((i) => i < count)
  }

  private fileProgress(entry: Entry): FileEntry[] {
    const decoded = entry.decoded
    if (!decoded) return []
    const selected = new Set(this.selectedFiles(entry))
    const has = this.verifiedPieces(entry)
    return decoded.meta.files.map((file, index) => {
      const downloaded = this.fileDownloaded(entry, index, has)
      return {
        index,
        path: file.path,
        length: file.length,
        downloaded,
        progress: file.length > 0 ? downloaded / file.length : downloaded === 0 ? 1 : 0,
        selected: selected.has(index),
      }
    })
  }

  /**
   * Whether a piece is verified: webtorrent's bitfield while attached, else (paused, or before the
   * first attach) the resume bitfield saved at the last detach, like `getPieces`; null when neither.
   */
  private verifiedPieces(entry: Entry): ((piece: number) => boolean) | null {
    const bitfield = entry.wt?.bitfield
    if (bitfield) return (p) => !!bitfield.get(p)
    const saved = entry.record.resume?.bitfield
    if (!saved) return null
    const bits = Buffer.from(saved, 'base64')
    return (p) => ((bits[p >> 3] ?? 0) & (0x80 >> (p & 7))) !== 0
  }

  /** Verified bytes of a file, counted from the verified pieces that overlap it. */
  private fileDownloaded(
    entry: Entry,
    index: number,
    has: ((piece: number) => boolean) | null,
  ): number {
    const meta = entry.decoded?.meta
    const file = meta?.files[index]
    if (!meta || !file) return 0
    if (file.length === 0) return 0
    if (!has) return 0
    let bytes = 0
    const end = file.offset + file.length
    for (let p = file.firstPiece; p <= file.lastPiece; p++) {
      if (!has(p)) continue
      const pieceStart = p * meta.pieceLength
      const pieceEnd =
        pieceStart + (p === meta.pieceCount - 1 ? meta.lastPieceLength : meta.pieceLength)
      bytes += Math.max(0, Math.min(end, pieceEnd) - Math.max(file.offset, pieceStart))
    }
    return bytes
  }

  private summary(entry: Entry): TorrentSummary {
    const { record, decoded, wt } = entry
    this.fold(entry)
    const meta = decoded?.meta ?? null
    const files = this.fileProgress(entry)
    const selected = files.filter((f) => f.selected)
    const selectedLength = selected.reduce((n, f) => n + f.length, 0)
    const completedLength = selected.reduce((n, f) => n + f.downloaded, 0)
    const complete = meta !== null && completedLength >= selectedLength && (wt?.ready ?? false)
    const pieceCount = meta?.pieceCount ?? 0
    const wires = wt?.wires ?? []
    const downloadSpeed = wt ? Math.round(wt.downloadSpeed) : 0
    const remaining = selectedLength - completedLength
    let status: TorrentStatus
    if (entry.error) status = 'error'
    else if (record.paused || !wt) status = 'paused'
    else if (!meta) status = 'fetching-metadata'
    else if (!wt.ready) status = 'checking'
    else status = complete ? 'seeding' : 'downloading'
    if (complete && !record.completedAt && status === 'seeding') {
      record.completedAt = new Date().toISOString()
      queueMicrotask(() => this.emit('torrent:done', record.infoHash))
      this.scheduleSave()
    }
    return {
      infoHash: record.infoHash,
      name: meta?.name ?? record.name,
      status,
      error: entry.error,
      hasMetadata: meta !== null,
      progress: selectedLength > 0 ? completedLength / selectedLength : meta ? 1 : 0,
      length: meta?.length ?? 0,
      selectedLength,
      completedLength,
      downloaded: entry.sessionDown,
      uploaded: entry.sessionUp,
      downloadedTotal: record.downloadedTotal,
      uploadedTotal: record.uploadedTotal,
      downloadSpeed,
      uploadSpeed: wt ? Math.round(wt.uploadSpeed) : 0,
      eta:
        status === 'downloading' && downloadSpeed > 0 ? Math.ceil(remaining / downloadSpeed) : null,
      // Data that was never downloaded (created or already on disk) counts as its size, like
      // Transmission, so a seeder's ratio stays a finite number.
      ratio: ratioOf(record.uploadedTotal, record.downloadedTotal || completedLength),
      peers: wires.length,
      seeds: wires.filter((w) => isSeeder(w, pieceCount)).length,
      addedAt: record.addedAt,
      completedAt: record.completedAt,
      downloadDir: record.downloadDir,
      magnetURI: meta?.magnetURI ?? record.magnetURI,
    }
  }

  private trackerUrls(entry: Entry): string[] {
    return [...new Set([...(entry.decoded?.announce ?? []), ...entry.record.trackers])]
  }

  private trackerEntries(entry: Entry): TrackerEntry[] {
    const tiers = entry.decoded?.meta.announceList ?? []
    const intervals = new Map<string, number>()
    if (entry.wt)
      for (const t of trackersOf(entry.wt)) intervals.set(t.announceUrl, t.intervalMs ?? 0)
    return this.trackerUrls(entry).map((url) => {
      const tierIndex = tiers.findIndex((tier) => tier.includes(url))
      const state = entry.trackers.get(url)
      const interval = intervals.get(url)
      const next =
        state?.lastAnnounce && interval
          ? new Date(state.lastAnnounce + interval).toISOString()
          : null
      return {
        url,
        tier: tierIndex >= 0 ? tierIndex : tiers.length,
        status: entry.wt ? (state?.status ?? 'announcing') : 'idle',
        lastAnnounce: state?.lastAnnounce ? new Date(state.lastAnnounce).toISOString() : null,
        nextAnnounce: entry.wt ? next : null,
        seeders: state?.seeders ?? null,
        leechers: state?.leechers ?? null,
        error: state?.error ?? null,
      }
    })
  }

  private summaries(): TorrentSummary[] {
    return [...this.entries.values()].map((e) => this.summary(e))
  }

  /** Global figures from the torrents' summaries (the tick passes the ones it already made). */
  private stats(summaries: TorrentSummary[] = this.summaries()): EngineStats {
    let downloading = 0
    let seeding = 0
    let peers = 0
    for (const s of summaries) {
      if (s.status === 'downloading' || s.status === 'fetching-metadata') downloading++
      if (s.status === 'seeding') seeding++
      peers += s.peers
    }
    return {
      downloadSpeed: Math.round(this.client.downloadSpeed),
      uploadSpeed: Math.round(this.client.uploadSpeed),
      peers,
      torrents: this.entries.size,
      downloading,
      seeding,
      // 0 until listening: the configured port may be taken (see onClientError).
      port: this.client.address()?.port ?? 0,
      freeSpace: this.freeSpace,
      webrtc: webrtcStatus(),
      sessionWarning: this.loadWarning,
    }
  }

  private refreshFreeSpace(): void {
    if (Date.now() - this.freeSpaceCheckedAt < 5000) return
    this.freeSpaceCheckedAt = Date.now()
    fs.statfs(this.settings.downloadDir).then(
      (st) => (this.freeSpace = st.bavail * st.bsize),
      () => (this.freeSpace = null),
    )
  }

  private tick(): void {
    if (this.closed) return
    this.refreshFreeSpace()
    this.enforceGlobalConnectionLimit()
    const changed: TorrentSummary[] = []
    const all: TorrentSummary[] = []
    for (const entry of this.entries.values()) {
      const s = this.summary(entry)
      all.push(s)
      const key = JSON.stringify(s)
      if (key !== entry.lastSent) {
        entry.lastSent = key
        changed.push(s)
      }
    }
    if (changed.length > 0) this.emit('torrents:changed', changed)
    const stats = this.stats(all)
    const statsKey = JSON.stringify(stats)
    if (statsKey !== this.lastStats) {
      this.lastStats = statsKey
      this.emit('stats', stats)
    }
    if (monotonicNow() - this.lastSave > (this.opts.saveEveryMs ?? SAVE_EVERY_MS)) {
      this.scheduleSave()
    }
  }

  /** webtorrent caps connections per torrent only; the global cap drops the slowest wires above it. */
  private enforceGlobalConnectionLimit(): void {
    const wires = [...this.entries.values()].flatMap((e) => e.wt?.wires ?? [])
    const excess = wires.length - this.settings.maxConnections
    if (excess <= 0) return
    wires
      .sort((a, b) => a.downloadSpeed() + a.uploadSpeed() - (b.downloadSpeed() + b.uploadSpeed()))
      .slice(0, excess)
      .forEach((w) => w.destroy())
  }

  // ---- persistence ----

  private scheduleSave(): void {
    this.lastSave = monotonicNow()
    this.save(false).catch((err: Error) => this.log(`could not save the session: ${err.message}`))
  }

  /** Saves are queued one after another, so two never race on the same file. */
  private save(cleanShutdown: boolean): Promise<void> {
    const run = this.saving.then(() => this.writeSession(cleanShutdown))
    this.saving = run.catch(() => undefined)
    return run
  }

  private async writeSession(cleanShutdown: boolean): Promise<void> {
    for (const entry of this.entries.values()) this.fold(entry)
    const persisted: SettingsPatch = { ...this.settings }
    // Run-only overrides (CLI flags) must not leak into the saved settings.
    for (const key of Object.keys(this.overrides) as Array<keyof Settings>) delete persisted[key]
    await this.store.save({
      version: SESSION_VERSION,
      cleanShutdown,
      savedAt: new Date().toISOString(),
      settings: persisted,
      torrents: [...this.entries.values()].map((e) => e.record),
    })
  }

  /** Stops every torrent, writes resume data and marks the session cleanly stopped. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    await this.saving
    for (const entry of this.entries.values()) {
      if (entry.wt) await this.detach(entry, true)
    }
    await this.destroyClient()
    try {
      await this.save(true)
    } finally {
      await this.lock.release()
    }
  }

  // ---- the API ----

  async listTorrents(): Promise<TorrentSummary[]> {
    return this.summaries()
  }

  async getTorrent({ infoHash }: InfoHashRequest): Promise<TorrentDetail> {
    const entry = this.getEntry(infoHash)
    const pieceCount = entry.decoded?.meta.pieceCount ?? 0
    return {
      summary: this.summary(entry),
      meta: entry.decoded ? withoutPieceHashes(entry.decoded.meta) : null,
      files: this.fileProgress(entry),
      peers: (entry.wt?.wires ?? []).map((w) => toPeerEntry(w, pieceCount)),
      trackers: this.trackerEntries(entry),
    }
  }

  async getPieces({ infoHash }: InfoHashRequest): Promise<PieceMap> {
    const entry = this.getEntry(infoHash)
    const pieceCount = entry.decoded?.meta.pieceCount ?? 0
    const packed = new Uint8Array(Math.ceil(pieceCount / 8))
    const has = this.verifiedPieces(entry)
    if (has) {
      for (let i = 0; i < pieceCount; i++) if (has(i)) packed[i >> 3]! |= 0x80 >> (i & 7)
    }
    return {
      infoHash,
      pieceCount,
      have: Buffer.from(packed).toString('base64'),
      inProgress: entry.wt ? inProgressPieces(entry.wt) : [],
    }
  }

  async inspectTorrent(source: TorrentSource): Promise<InspectResult> {
    return withInputErrors(async () => {
      if (source.kind === 'file') {
        return { kind: 'torrent', meta: decodeTorrentFile(Buffer.from(source.data, 'base64')).meta }
      }
      const input = source.kind === 'magnet' ? source.uri : source.infoHash
      return { kind: 'magnet', magnet: parseTorrentLink(input) }
    })
  }

  async addTorrent(req: AddTorrentRequest): Promise<AddTorrentResult> {
    return this.add(req, { policy: true })
  }

  /** `policy: false` only for data the engine made a torrent of (createTorrent checked the source). */
  private async add(
    req: AddTorrentRequest,
    folder: { policy: boolean },
  ): Promise<AddTorrentResult> {
    if (this.closed) throw new SeedlingError('the engine is shutting down', 'internal')
    const source = req.source
    const torrentBytes = source.kind === 'file' ? Buffer.from(source.data, 'base64') : null
    const link =
      source.kind === 'magnet' ? source.uri : source.kind === 'infoHash' ? source.infoHash : ''
    const parsed = await withInputErrors(async () =>
      torrentBytes
        ? { decoded: decodeTorrentFile(torrentBytes), magnet: null }
        : { decoded: null, magnet: parseTorrentLink(link) },
    )
    const infoHash = parsed.decoded?.meta.infoHash ?? parsed.magnet!.infoHash
    const existing = this.entries.get(infoHash)
    if (existing) {
      // The .torrent of a magnet still waiting for metadata gives it its files without peers.
      if (!existing.decoded && parsed.decoded && torrentBytes) {
        await this.adoptMetadata(existing, parsed.decoded, torrentBytes)
      }
      return { torrent: this.summary(existing), duplicate: true }
    }

    const downloadDir = req.downloadDir ?? this.settings.downloadDir
    const fileCount = parsed.decoded?.files.length
    if (req.selectedFiles && fileCount !== undefined) {
      const bad = req.selectedFiles.find((i) => i >= fileCount)
      if (bad !== undefined) {
        throw new SeedlingError(`file index ${bad} is out of range (the torrent has ${fileCount})`)
      }
    }
    const trackers = [...(parsed.magnet?.trackers ?? []), ...(req.trackers ?? [])]
    const record: TorrentRecord = {
      infoHash,
      name: parsed.decoded?.meta.name ?? parsed.magnet?.name ?? infoHash,
      magnetURI: parsed.decoded?.meta.magnetURI ?? parsed.magnet!.magnetURI,
      downloadDir,
      paused: req.paused ?? false,
      selectedFiles: req.selectedFiles
        ? [...new Set(req.selectedFiles)].sort((a, b) => a - b)
        : null,
      trackers: [...new Set(trackers)],
      peers: parsed.magnet?.peers ?? [],
      addedAt: new Date().toISOString(),
      completedAt: null,
      downloadedTotal: 0,
      uploadedTotal: 0,
      resume: null,
    }
    // Before anything is kept: a refused folder, or a file in its place, must leave no half-added torrent.
    await this.guard.prepareDownloadFolder(downloadDir, folder)
    if (torrentBytes) await this.store.saveTorrentFile(infoHash, torrentBytes)
    const entry = this.newEntry(record)
    entry.decoded = parsed.decoded
    this.entries.set(infoHash, entry)
    if (!record.paused) this.attach(entry)
    await this.save(false)
    const summary = this.summary(entry)
    this.emit('torrent:added', summary)
    return { torrent: summary, duplicate: false }
  }

  private async adoptMetadata(
    entry: Entry,
    decoded: DecodedTorrent,
    torrentBytes: Uint8Array,
  ): Promise<void> {
    await this.store.saveTorrentFile(entry.record.infoHash, torrentBytes)
    const wasActive = entry.wt !== null
    await this.detach(entry, false)
    entry.decoded = decoded
    entry.record.name = decoded.meta.name
    if (wasActive) this.attach(entry)
    await this.save(false)
  }

  async pauseTorrents({ infoHashes }: InfoHashesRequest): Promise<void> {
    for (const infoHash of infoHashes) {
      const entry = this.getEntry(infoHash)
      entry.record.paused = true
      await this.detach(entry, true)
    }
    await this.save(false)
    this.tick()
  }

  async resumeTorrents({ infoHashes }: InfoHashesRequest): Promise<void> {
    for (const infoHash of infoHashes) {
      const entry = this.getEntry(infoHash)
      entry.record.paused = false
      if (!entry.wt) this.attach(entry)
    }
    await this.save(false)
    this.tick()
  }

  async removeTorrent({ infoHash, deleteData }: RemoveTorrentRequest): Promise<void> {
    const entry = this.getEntry(infoHash)
    await this.detach(entry, false)
    this.entries.delete(infoHash)
    await this.save(false)
    await this.store.deleteTorrentFile(infoHash)
    if (deleteData && entry.decoded)
      await deleteTorrentData(entry.record.downloadDir, entry.decoded)
    this.emit('torrent:removed', infoHash)
  }

  async recheckTorrent({ infoHash }: InfoHashRequest): Promise<void> {
    const entry = this.getEntry(infoHash)
    if (!entry.decoded) throw new SeedlingError('cannot recheck before the metadata is known')
    await this.detach(entry, false)
    entry.record.resume = null
    if (!entry.record.paused) this.attach(entry)
    this.tick()
  }

  async setFileSelection({ infoHash, files }: FileSelectionRequest): Promise<void> {
    const entry = this.getEntry(infoHash)
    const count = entry.decoded?.files.length
    if (count === undefined) throw new SeedlingError('the file list is not known yet (no metadata)')
    const selected = new Set(this.selectedFiles(entry))
    for (const { index, selected: on } of files) {
      if (index >= count) throw new SeedlingError(`file index ${index} is out of range`)
      if (on) selected.add(index)
      else selected.delete(index)
    }
    entry.record.selectedFiles =
      selected.size === count ? null : [...selected].sort((a, b) => a - b)
    if (entry.record.selectedFiles === null && entry.wt) {
      entry.wt.select(0, entry.wt.pieces.length - 1)
    }
    this.applySelection(entry)
    if (entry.record.completedAt && selected.size > 0) entry.record.completedAt = null
    await this.save(false)
    this.tick()
  }

  async moveTorrent({ infoHash, downloadDir }: MoveTorrentRequest): Promise<void> {
    const entry = this.getEntry(infoHash)
    await this.guard.checkDownloadFolder(downloadDir)
    const from = entry.record.downloadDir
    if (path.resolve(from) === path.resolve(downloadDir)) return
    const wasActive = entry.wt !== null
    await this.detach(entry, false)
    if (entry.decoded) {
      try {
        await moveTorrentData(from, downloadDir, entry.decoded)
      } catch (err) {
        if (wasActive) this.attach(entry)
        if (err instanceof SeedlingError) throw err
        throw new SeedlingError(`could not move the data: ${(err as Error).message}`, 'io')
      }
    }
    entry.record.downloadDir = downloadDir
    if (wasActive) this.attach(entry)
    await this.save(false)
    this.tick()
  }

  async getSettings(): Promise<Settings> {
    return { ...this.settings }
  }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    // Only a change is judged: a form that sends the folder back unchanged must still save.
    if (patch.downloadDir !== undefined && patch.downloadDir !== this.settings.downloadDir) {
      await this.guard.checkDownloadFolder(patch.downloadDir)
    }
    const next = SettingsSchema.parse({ ...this.settings, ...patch })
    const restart = clientLevelKeys.some((k) => next[k] !== this.settings[k])
    this.settings = next
    for (const key of Object.keys(patch) as Array<keyof Settings>) delete this.overrides[key]
    if (restart) await this.restartClient()
    else applyRateLimits(this.client, next.downloadLimit, next.uploadLimit)
    await this.save(false)
    return { ...next }
  }

  async getStats(): Promise<EngineStats> {
    return this.stats()
  }

  async createTorrent(req: CreateTorrentRequest): Promise<CreateTorrentResult> {
    const opts = CreateTorrentRequestSchema.parse(req)
    await this.guard.check('source', opts.path)
    // Checked before hashing, so a bad output path fails fast.
    if (opts.outputPath) {
      await this.guard.check('output', opts.outputPath)
      await checkNewTorrentPath(opts.outputPath)
    }
    const created = await withInputErrors(() =>
      createTorrentFile({
        path: opts.path,
        trackers: opts.trackers,
        webSeeds: opts.webSeeds,
        pieceLength: opts.pieceLength,
        private: opts.private,
        comment: opts.comment,
        onProgress: (hashedBytes, totalBytes) =>
          this.emit('create:progress', { requestId: opts.requestId, hashedBytes, totalBytes }),
      }),
    )
    const meta = created.decoded.meta
    const torrentPath = opts.outputPath ?? this.store.torrentFilePath(meta.infoHash)
    if (opts.outputPath) await checkNewTorrentPath(opts.outputPath)
    await writeFileAtomic(torrentPath, created.torrent)
    let torrent: TorrentSummary | null = null
    if (opts.seed) {
      const added = await this.add(
        {
          source: { kind: 'file', data: Buffer.from(created.torrent).toString('base64') },
          downloadDir: path.dirname(path.resolve(opts.path)),
        },
        { policy: false },
      )
      torrent = added.torrent
    }
    return { meta, torrentPath, torrent }
  }

  private async restartClient(): Promise<void> {
    const active = [...this.entries.values()].filter((e) => e.wt)
    for (const entry of active) await this.detach(entry, true)
    await this.destroyClient()
    this.client = this.newClient()
    for (const entry of active) this.attach(entry)
  }

  /** The folder a torrent's data lives in, for "open folder" style actions. */
  dataPath(infoHash: string): string {
    const entry = this.getEntry(infoHash)
    const first = entry.decoded?.files[0]?.segments[0]
    return first ? resolveInside(entry.record.downloadDir, [first]) : entry.record.downloadDir
  }
}

/**
 * A client (possibly remote) names where the .torrent goes: only a new `.torrent` file at an absolute
 * path, so the API can never overwrite an existing file or write something that is not a torrent.
 */
async function checkNewTorrentPath(file: string): Promise<void> {
  if (!path.isAbsolute(file)) throw new SeedlingError(`the output path must be absolute: ${file}`)
  if (!file.toLowerCase().endsWith('.torrent')) {
    throw new SeedlingError(`the output file must end in .torrent: ${file}`)
  }
  const exists = await fs.lstat(file).then(
    () => true,
    () => false,
  )
  if (exists) throw new SeedlingError(`${file} already exists; choose another name`, 'duplicate')
}

function withoutPieceHashes(meta: MetaInfo): MetaInfoView {
  const { pieceHashes: _omitted, ...view } = meta
  return view
}

/** A port from the dynamic range (49152-65535), where no registered service lives. */
function randomListenPort(): number {
  return 49152 + randomInt(MAX_PORT - 49152 + 1)
}

function ratioOf(uploaded: number, base: number): number {
  return base > 0 ? uploaded / base : 0
}

/** Meta-info and link errors are the user's bad input: they cross the API as SeedlingErrors. */
async function withInputErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof MetaInfoError) throw new SeedlingError(err.message, 'invalid')
    throw err
  }
}
