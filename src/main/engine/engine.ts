/**
 * TorrentEngine: the one owner of the torrent session. It implements the API contract over a
 * TorrentBackend (webtorrent's, in backend/), persists the session, and emits throttled snapshots. It
 * imports no Electron, so the CLI, the headless server, the desktop app and the tests all run the same
 * code. The work is done by its parts: entries.ts (per-torrent state), commands.ts, snapshot.ts (pure
 * reads), ticker.ts and persistence.ts; this class owns their lifecycle, the client and the settings.
 */
import type {
  AddTorrentRequest,
  AddTorrentResult,
  CreateTorrentRequest,
  CreateTorrentResult,
  EditTrackersRequest,
  EditWebSeedsRequest,
  EngineStats,
  FetchTorrentUrlRequest,
  FetchTorrentUrlResult,
  FileSelectionRequest,
  InfoHashRequest,
  InfoHashesRequest,
  InspectResult,
  MoveTorrentRequest,
  PieceMap,
  ReannounceRequest,
  RemoveTorrentRequest,
  SeedlingApi,
  SeedlingEvents,
  SetLabelsRequest,
  Settings,
  SettingsPatch,
  TorrentDetail,
  TorrentSource,
  TorrentSummary,
} from '@shared/api'
import { SettingsSchema } from '@shared/schema'
import type { ClientFailure, TorrentBackend } from './backend/types'
import { WebTorrentBackend } from './backend/webtorrent-backend'
import { TorrentCommands } from './commands'
import { applyLabels } from './label-commands'
import { TrackerCommands } from './tracker-commands'
import { createTorrent } from './create-command'
import { TorrentEntries } from './entries'
import { PathGuard } from './path-guard'
import { ATTACH_BATCH, attachInTurn, restoreEntries, SessionWriter } from './persistence'
import { SessionStore } from './session'
import { clientLevelKeys, clientSettings, initialSettings } from './settings'
import type { StateLock } from './state-lock'
import { acquireStateLock } from './state-lock'
import { Ticker } from './ticker'
import { fetchTorrentUrl } from './url-fetch'
import type { Emit } from './typed-emitter'
import { TypedEmitter } from './typed-emitter'

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
  /** DHT nodes (host:port) to bootstrap from instead of the public routers (tests: local nodes only). */
  dhtBootstrap?: string[]
  log?: (message: string) => void
}

export class TorrentEngine extends TypedEmitter<SeedlingEvents> implements SeedlingApi {
  private readonly entries: TorrentEntries
  private readonly writer: SessionWriter
  private readonly ticker: Ticker
  private readonly commands: TorrentCommands
  private readonly trackerCommands: TrackerCommands
  private timer: NodeJS.Timeout | null = null
  private closed = false
  /** Restored torrents still being started in the background (attachInTurn). */
  private restoring: Promise<void> = Promise.resolve()

  private constructor(
    private readonly store: SessionStore,
    private settings: Settings,
    private readonly overrides: SettingsPatch,
    private readonly opts: EngineOptions,
    private readonly lock: StateLock,
    private readonly guard: PathGuard,
    private readonly backend: TorrentBackend,
    /** Why the saved session could not be used as it was, if it could not. */
    readonly loadWarning: string | null,
  ) {
    super()
    const emit: Emit<SeedlingEvents> = (event, payload) => this.emit(event, payload)
    const log = (message: string): void => this.log(message)
    const isClosed = (): boolean => this.closed
    this.entries = new TorrentEntries(backend, {
      store,
      extraPeers: opts.peers ?? [],
      peerDiscovery: () => this.settings.dht || this.settings.lsd,
      log,
      onDone: (entry) => this.ticker.tickForDone(entry),
      onError: (infoHash, error) => emit('torrent:error', { infoHash, error }),
      scheduleSave: () => this.writer.scheduleSave(),
    })
    this.writer = new SessionWriter(store, this.entries, () => this.persistedSettings(), log)
    this.ticker = new Ticker({
      entries: this.entries,
      backend,
      writer: this.writer,
      emit,
      settings: () => this.settings,
      isClosed,
      saveEveryMs: opts.saveEveryMs,
      sessionWarning: loadWarning,
    })
    this.commands = new TorrentCommands({
      entries: this.entries,
      store,
      guard,
      writer: this.writer,
      emit,
      settings: () => this.settings,
      tick: () => this.ticker.tick(),
      isClosed,
    })
    this.trackerCommands = new TrackerCommands({
      entries: this.entries,
      writer: this.writer,
      tick: () => this.ticker.tick(),
    })
    this.startClient()
  }

  /**
   * Opens the session in `stateDir` and starts every torrent that was not paused. `backend` is for
   * tests; the engine otherwise runs on webtorrent.
   */
  static async open(opts: EngineOptions, backend?: TorrentBackend): Promise<TorrentEngine> {
    // Before the session is read: a second engine on this folder must not load it, let alone save it.
    const lock = await acquireStateLock(opts.stateDir)
    try {
      return await TorrentEngine.openLocked(opts, lock, backend)
    } catch (err) {
      await lock.release()
      throw err
    }
  }

  private static async openLocked(
    opts: EngineOptions,
    lock: StateLock,
    backend: TorrentBackend = new WebTorrentBackend((m) => opts.log?.(m)),
  ): Promise<TorrentEngine> {
    const guard = await PathGuard.create({
      stateDir: opts.stateDir,
      allowedRoots: opts.allowedRoots,
    })
    const store = new SessionStore(opts.stateDir)
    const { session, warning } = await store.load()
    const overrides = { ...opts.overrides }
    const settings = initialSettings(session.settings, opts.defaultDownloadDir, overrides)
    const engine = new TorrentEngine(
      store,
      settings,
      overrides,
      opts,
      lock,
      guard,
      backend,
      warning,
    )
    if (warning) engine.log(warning)
    const toStart = await restoreEntries(session, store, engine.entries, (m) => engine.log(m))
    const first = attachInTurn(engine.entries, toStart.slice(0, ATTACH_BATCH), () => engine.closed)
    // Mark the session as running so a crash from here on is detected at the next start.
    await Promise.all([first, engine.writer.save(false)])
    engine.restoring = attachInTurn(
      engine.entries,
      toStart.slice(ATTACH_BATCH),
      () => engine.closed,
    )
    engine.timer = setInterval(() => engine.ticker.tick(), opts.tickMs ?? 1000)
    engine.timer.unref()
    return engine
  }

  private log(message: string): void {
    this.opts.log?.(message)
  }

  private persistedSettings(): SettingsPatch {
    const persisted: SettingsPatch = { ...this.settings }
    // Run-only overrides (CLI flags) must not leak into the saved settings.
    for (const key of Object.keys(this.overrides) as Array<keyof Settings>) delete persisted[key]
    return persisted
  }

  private startClient(port = this.settings.port): void {
    const settings = {
      ...clientSettings(this.settings, port),
      dhtBootstrap: this.opts.dhtBootstrap,
    }
    this.backend.start(settings, (failure) => this.onClientFailure(failure))
  }

  /**
   * A fatal client error (most often a listening port that is taken) takes the torrents with it, so a
   * fresh client on a free port takes them over; the setting is kept, so the chosen port is tried
   * again at the next start.
   */
  private onClientFailure({ message, code, fatal }: ClientFailure): void {
    this.log(`engine error: ${message}`)
    if (this.closed || !fatal) return
    const fallback = code === 'EADDRINUSE' || code === 'EACCES' ? 0 : this.settings.port
    if (fallback === 0) this.log(`port ${this.settings.port} is not available; using a free port`)
    this.startClient(fallback)
    this.entries.reattachAll()
  }

  private async restartClient(): Promise<void> {
    const active = [...this.entries.values()].filter((e) => e.torrent)
    for (const entry of active) await this.entries.detach(entry, true)
    await this.backend.stop()
    this.startClient()
    for (const entry of active) this.entries.attach(entry)
  }

  /** Stops every torrent, writes resume data and marks the session cleanly stopped. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    this.ticker.stop()
    await this.restoring
    await this.writer.settled()
    for (const entry of this.entries.values()) {
      if (entry.torrent) await this.entries.detach(entry, true)
    }
    await this.backend.stop()
    try {
      await this.writer.save(true)
    } finally {
      await this.lock.release()
    }
  }

  // ---- the API ----

  async listTorrents(): Promise<TorrentSummary[]> {
    return this.commands.listTorrents()
  }

  async getTorrent(req: InfoHashRequest): Promise<TorrentDetail> {
    return this.commands.getTorrent(req)
  }

  async getPieces(req: InfoHashRequest): Promise<PieceMap> {
    return this.commands.getPieces(req)
  }

  async inspectTorrent(source: TorrentSource): Promise<InspectResult> {
    return this.commands.inspectTorrent(source)
  }

  async fetchTorrentUrl(req: FetchTorrentUrlRequest): Promise<FetchTorrentUrlResult> {
    // Serve mode's token holder may be someone else: the server must not become their way into the
    // loopback or private network. The desktop app and CLI fetch what their own user typed.
    const got = await fetchTorrentUrl(req.url, { publicOnly: this.opts.allowedRoots !== undefined })
    return { data: Buffer.from(got.data).toString('base64'), fileName: got.fileName }
  }

  async addTorrent(req: AddTorrentRequest): Promise<AddTorrentResult> {
    return this.commands.add(req, { policy: true })
  }

  async pauseTorrents(req: InfoHashesRequest): Promise<void> {
    return this.commands.pauseTorrents(req)
  }

  async resumeTorrents(req: InfoHashesRequest): Promise<void> {
    return this.commands.resumeTorrents(req)
  }

  async removeTorrent(req: RemoveTorrentRequest): Promise<void> {
    return this.commands.removeTorrent(req)
  }

  async recheckTorrent(req: InfoHashRequest): Promise<void> {
    return this.commands.recheckTorrent(req)
  }

  async setFileSelection(req: FileSelectionRequest): Promise<void> {
    return this.commands.setFileSelection(req)
  }

  async moveTorrent(req: MoveTorrentRequest): Promise<void> {
    return this.commands.moveTorrent(req)
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
    else this.backend.setRateLimits(next.downloadLimit, next.uploadLimit)
    await this.writer.save(false)
    return { ...next }
  }

  async getStats(): Promise<EngineStats> {
    return this.ticker.stats()
  }

  async createTorrent(req: CreateTorrentRequest): Promise<CreateTorrentResult> {
    return createTorrent(req, {
      guard: this.guard,
      store: this.store,
      emit: (event, payload) => this.emit(event, payload),
      addUnchecked: (add) => this.commands.add(add, { policy: false }),
    })
  }

  async editTrackers(req: EditTrackersRequest): Promise<void> {
    return this.trackerCommands.editTrackers(req)
  }

  async reannounce(req: ReannounceRequest): Promise<void> {
    return this.trackerCommands.reannounce(req)
  }

  async editWebSeeds(req: EditWebSeedsRequest): Promise<void> {
    return this.trackerCommands.editWebSeeds(req)
  }

  async setLabels(req: SetLabelsRequest): Promise<void> {
    return applyLabels(
      { entries: this.entries, writer: this.writer, tick: () => this.ticker.tick() },
      req,
    )
  }

  /** The folder a torrent's data lives in, for "open folder" style actions. */
  dataPath(infoHash: string): string {
    return this.commands.dataPath(infoHash)
  }
}
