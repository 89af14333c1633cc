/**
 * A TorrentBackend with no network and no disk, for the engine's unit tests: the test plays the stack,
 * driving each torrent's state (pieces, counters, readiness) and events by hand.
 */
import type {
  AddSpec,
  BackendTorrent,
  ClientFailure,
  ClientSettings,
  ClientStats,
  SwarmCounts,
  TorrentBackend,
  TorrentCounters,
  TorrentEvents,
} from './types'

export class FakeTorrent implements BackendTorrent {
  ready = false
  traffic: TorrentCounters = { downloaded: 0, uploaded: 0 }
  swarmCounts: SwarmCounts = { peers: 0, seeds: 0 }
  selected: number[] | null
  removed = false
  private readonly pieces: Uint8Array | null

  constructor(
    readonly spec: AddSpec,
    readonly events: TorrentEvents,
  ) {
    this.selected = spec.selectedFiles
    const count = spec.decoded?.meta.pieceCount
    this.pieces = count === undefined ? null : new Uint8Array(Math.ceil(count / 8))
    if (this.pieces && spec.resume)
      this.pieces.set(spec.resume.bitfield.subarray(0, this.pieces.length))
  }

  /** Marks pieces verified, as the stack does after hashing them; reports each. */
  verify(...pieces: number[]): void {
    for (const p of pieces) {
      this.pieces![p >> 3]! |= 0x80 >> (p & 7)
      this.events.verified(p)
    }
  }

  /** Every piece verified and the data checked: the torrent is done. */
  finish(): void {
    const count = this.spec.decoded!.meta.pieceCount
    for (let p = 0; p < count; p++) this.pieces![p >> 3]! |= 0x80 >> (p & 7)
    this.ready = true
    this.events.done()
  }

  counters(): TorrentCounters {
    return { ...this.traffic }
  }

  verifiedPieces(): Uint8Array | null {
    return this.pieces ? Uint8Array.from(this.pieces) : null
  }

  inProgressPieces(): number[] {
    return []
  }

  peers(): [] {
    return []
  }

  swarm(): SwarmCounts {
    return { ...this.swarmCounts }
  }

  /** What nextAnnounceAt reports; tests set it. */
  nextAnnounce: number | null = null

  nextAnnounceAt(): number | null {
    return this.nextAnnounce
  }

  webSeeds(): [] {
    return []
  }

  selectFiles(selected: number[] | null): void {
    this.selected = selected
  }

  /** Each list given by setTrackers / setWebSeeds, and each reannounce (null: every tier). */
  readonly trackerLists: string[][] = []
  readonly webSeedLists: string[][] = []
  readonly reannounced: Array<string | null> = []

  setTrackers(trackers: string[]): void {
    this.trackerLists.push(trackers)
  }

  reannounce(url: string | null): void {
    this.reannounced.push(url)
  }

  setWebSeeds(urls: string[]): void {
    this.webSeedLists.push(urls)
  }

  async remove(): Promise<void> {
    this.removed = true
  }
}

export class FakeBackend implements TorrentBackend {
  readonly webrtcAvailable = false
  readonly torrents: FakeTorrent[] = []
  /** The settings of every client started, in order. */
  readonly starts: ClientSettings[] = []
  running = false
  rateLimits: [number, number] | null = null
  capCalls = 0
  private onFailure: ((failure: ClientFailure) => void) | null = null

  start(settings: ClientSettings, onFailure: (failure: ClientFailure) => void): void {
    this.starts.push(settings)
    this.running = true
    this.onFailure = onFailure
  }

  async stop(): Promise<void> {
    this.running = false
  }

  setRateLimits(downloadLimit: number, uploadLimit: number): void {
    this.rateLimits = [downloadLimit, uploadLimit]
  }

  add(spec: AddSpec, events: TorrentEvents): FakeTorrent {
    if (!this.running) throw new Error('the fake client is not started')
    const torrent = new FakeTorrent(spec, events)
    this.torrents.push(torrent)
    return torrent
  }

  stats(): ClientStats {
    const port = this.running ? (this.starts.at(-1)?.port ?? 0) : 0
    return { port }
  }

  capConnections(): void {
    this.capCalls++
  }

  /** The torrent of this info hash that is in the client now, if any. */
  active(infoHash: string): FakeTorrent | undefined {
    return this.torrents.find((t) => t.spec.infoHash === infoHash && !t.removed)
  }

  /** The client fails as webtorrent's does (fatal: it stopped, its torrents with it). */
  fail(failure: ClientFailure): void {
    if (failure.fatal) {
      this.running = false
      for (const t of this.torrents) t.removed = true
    }
    this.onFailure?.(failure)
  }
}
