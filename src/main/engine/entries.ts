/**
 * The engine's torrents: each one's session record, decoded metadata and, while it runs, its torrent in
 * the backend. Attaching and detaching, resume capture and the folding of per-attachment counters into
 * the all-time totals happen here.
 */
import type { TrackerEntry } from '@shared/api'
import { SeedlingError } from '@shared/api'
import { MAX_TRACKERS_PER_TORRENT } from '@shared/tracker-url'
import { TrackerTiers } from './backend/tracker-tiers'
import type { BackendTorrent, StackWarning, TorrentBackend, TorrentEvents } from './backend/types'
import { FileStateRecorder, statTorrentFile } from './file-state'
import type { DecodedTorrent } from './metainfo'
import { decodeInfoDictionary, MetaInfoError } from './metainfo'
import { TorrentRates } from './rate-meter'
import type { ResumeData, SessionStore, TorrentRecord } from './session'
import { buildTorrentFile } from './torrent-file'
import { trackerText } from './tracker-text'

export interface TrackerState {
  status: TrackerEntry['status']
  lastAnnounce: number | null
  seeders: number | null
  leechers: number | null
  error: string | null
}

export interface Entry {
  record: TorrentRecord
  decoded: DecodedTorrent | null
  /** Null while paused, failed or not yet started. */
  torrent: BackendTorrent | null
  error: string | null
  /** Why the torrent cannot make progress as it stands, for the user; null when nothing is known. */
  note: string | null
  /** Counters already folded into the record's totals, per attachment of `torrent`. */
  foldedDown: number
  foldedUp: number
  sessionDown: number
  sessionUp: number
  trackers: Map<string, TrackerState>
  /** The announce order of the tiers: shuffled once, when first attached, kept across pauses. */
  tierOrder: TrackerTiers | null
  /** Peers (ip:port and peer ids) banned for bad data; kept while the engine runs, across re-adds. */
  banned: Set<string>
  /** Files' states when their data was last verified, for the resume data (per attachment). */
  fileStates: FileStateRecorder | null
  /** Payload rates, sampled by the ticker. */
  rates: TorrentRates
  /** A paused torrent waiting for or in the engine's own check of its data (disk-check.ts). */
  checking: boolean
}

export function newEntry(record: TorrentRecord, decoded: DecodedTorrent | null = null): Entry {
  return {
    record,
    decoded,
    torrent: null,
    error: null,
    note: null,
    foldedDown: 0,
    foldedUp: 0,
    sessionDown: 0,
    sessionUp: 0,
    trackers: new Map(),
    tierOrder: null,
    banned: new Set(),
    fileStates: null,
    rates: new TorrentRates(),
    checking: false,
  }
}

/** Bytes the backend counted since the last fold; reading them changes nothing. */
export function unfolded(entry: Entry): { down: number; up: number } {
  const counters = entry.torrent?.counters()
  if (!counters) return { down: 0, up: 0 }
  return {
    down: Math.max(0, counters.downloaded - entry.foldedDown),
    up: Math.max(0, counters.uploaded - entry.foldedUp),
  }
}

export function trackerUrls(entry: Entry): string[] {
  return trackerTiers(entry).flat()
}

/**
 * The tiers a torrent announces to: the list as the user edited it; else the file's tiers (the trackers
 * it uses of them) with the magnet's and the user's extra trackers after them, one tier each, within
 * the budget.
 */
export function trackerTiers(entry: Entry): string[][] {
  if (entry.record.trackerTiers) return entry.record.trackerTiers
  const used = new Set(entry.decoded?.announce ?? [])
  const seen = new Set<string>()
  const take = (url: string): boolean =>
    seen.size < MAX_TRACKERS_PER_TORRENT && !seen.has(url) && Boolean(seen.add(url))
  const tiers = (entry.decoded?.meta.announceList ?? []).map((tier) =>
    tier.filter((url) => used.has(url) && take(url)),
  )
  for (const url of entry.record.trackers) if (take(url)) tiers.push([url])
  return tiers.filter((tier) => tier.length > 0)
}

/** A magnet link waits for its metadata from peers: with no way to find one it would wait forever. */
export const NO_PEER_SOURCE =
  'cannot find peers: the link has no trackers or peers, and DHT and local peer discovery are off'

export interface EntryHooks {
  store: SessionStore
  /** Peers every torrent connects to directly (CLI `--peer`, tests on loopback). */
  extraPeers: readonly string[]
  /** DHT or LSD is on: a torrent can find peers without trackers or peers of its own. */
  peerDiscovery(): boolean
  log(message: string): void
  /** A torrent finished: reported at once rather than on the next tick (the CLI exits on it). */
  onDone(entry: Entry): void
  onError(infoHash: string, message: string): void
  scheduleSave(): void
}

export class TorrentEntries {
  private readonly map = new Map<string, Entry>()

  constructor(
    private readonly backend: TorrentBackend,
    private readonly hooks: EntryHooks,
  ) {}

  get size(): number {
    return this.map.size
  }

  values(): IterableIterator<Entry> {
    return this.map.values()
  }

  find(infoHash: string): Entry | undefined {
    return this.map.get(infoHash)
  }

  get(infoHash: string): Entry {
    const entry = this.map.get(infoHash)
    if (!entry) throw new SeedlingError(`no torrent with info hash ${infoHash}`, 'not-found')
    return entry
  }

  put(entry: Entry): void {
    this.map.set(entry.record.infoHash, entry)
  }

  delete(infoHash: string): void {
    this.map.delete(infoHash)
  }

  attach(entry: Entry): void {
    const { record, decoded } = entry
    const resume = record.resume
    record.resume = null
    entry.error = null
    entry.note = decoded || this.canFindPeers(entry) ? null : NO_PEER_SOURCE
    entry.foldedDown = 0
    entry.foldedUp = 0
    entry.fileStates = decoded ? this.newFileStates(entry, decoded, resume) : null
    let torrent: BackendTorrent | null = null
    const current = (): boolean => torrent !== null && entry.torrent === torrent
    entry.tierOrder ??= new TrackerTiers(trackerTiers(entry))
    torrent = this.backend.add(
      {
        infoHash: record.infoHash,
        downloadDir: record.downloadDir,
        decoded,
        magnetURI: record.magnetURI,
        trackers: trackerUrls(entry),
        trackerTiers: entry.tierOrder,
        webSeeds: record.webSeeds ?? null,
        peers: [...record.peers, ...this.hooks.extraPeers],
        bannedPeers: [...entry.banned],
        selectedFiles: record.selectedFiles,
        resume:
          resume && decoded
            ? { ...resume, bitfield: Buffer.from(resume.bitfield, 'base64') }
            : null,
        onInfoDictionary: (infoBuffer) => this.onMetadataFromPeers(entry, infoBuffer),
      },
      this.eventsFor(entry, current),
    )
    entry.torrent = torrent
  }

  /** Stops a torrent's activity, keeping its data; resolves once its files are closed. */
  async detach(entry: Entry, keepResume: boolean): Promise<void> {
    const torrent = entry.torrent
    if (!torrent) return
    entry.record.resume = keepResume ? await this.captureResume(entry) : null
    this.fold(entry)
    entry.torrent = null
    await torrent.remove()
  }

  /** After the backend's client stopped on a fatal error: its torrents went with it. */
  reattachAll(): void {
    for (const entry of this.map.values()) {
      if (!entry.torrent) continue
      this.fold(entry)
      entry.torrent = null
      this.attach(entry)
    }
  }

  /** Moves the backend's per-attachment counters into the all-time totals. */
  fold(entry: Entry): void {
    const counters = entry.torrent?.counters()
    if (!counters) return
    const { down, up } = unfolded(entry)
    if (down > 0) {
      entry.record.downloadedTotal += down
      entry.sessionDown += down
      entry.foldedDown = counters.downloaded
    }
    if (up > 0) {
      entry.record.uploadedTotal += up
      entry.sessionUp += up
      entry.foldedUp = counters.uploaded
    }
  }

  private eventsFor(entry: Entry, current: () => boolean): TorrentEvents {
    return {
      metadata: () => {
        if (current() && !entry.fileStates && entry.decoded) {
          entry.fileStates = this.newFileStates(entry, entry.decoded, null)
        }
      },
      verified: (piece) => {
        if (current()) entry.fileStates?.pieceVerified(piece)
      },
      done: () => queueMicrotask(() => this.hooks.onDone(entry)),
      error: (message) => {
        const torrent = entry.torrent
        if (!torrent || !current()) return
        entry.error = message
        this.fold(entry)
        entry.torrent = null
        void torrent.remove()
        this.hooks.onError(entry.record.infoHash, message)
      },
      banned: (address, peerId) => {
        entry.banned.add(address)
        if (peerId) entry.banned.add(peerId)
      },
      trackerReply: ({ announce, seeders, leechers }) => {
        entry.trackers.set(announce, {
          status: 'working',
          lastAnnounce: Date.now(),
          seeders,
          leechers,
          error: null,
        })
      },
      warning: (warning) => this.onWarning(entry, warning),
    }
  }

  /** A warning that names one of the torrent's trackers marks that tracker as failing. */
  private onWarning(entry: Entry, { message, announce }: StackWarning): void {
    for (const url of trackerUrls(entry)) {
      if (announce !== url && !message.includes(url)) continue
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

  private onMetadataFromPeers(entry: Entry, infoBuffer: Uint8Array): DecodedTorrent {
    const { record } = entry
    const magnetTrackers = record.trackers
    const decoded = decodeInfoDictionary(infoBuffer, { announce: magnetTrackers })
    if (decoded.meta.infoHash !== record.infoHash) {
      throw new MetaInfoError('metadata from peers does not match the info hash')
    }
    entry.decoded = decoded
    entry.note = null
    record.name = decoded.meta.name
    this.fitSelection(entry, decoded.files.length)
    const file = buildTorrentFile(decoded.infoBuffer, magnetTrackers)
    this.hooks.store.saveTorrentFile(record.infoHash, file).catch((err: Error) => {
      this.hooks.log(`could not save the .torrent for ${record.infoHash}: ${err.message}`)
    })
    this.hooks.scheduleSave()
    return decoded
  }

  private canFindPeers(entry: Entry): boolean {
    const { record } = entry
    return (
      this.hooks.peerDiscovery() ||
      trackerUrls(entry).length > 0 ||
      record.peers.length > 0 ||
      this.hooks.extraPeers.length > 0
    )
  }

  /** A selection made before the file list was known (a magnet's `so=`) may name files it lacks. */
  private fitSelection(entry: Entry, fileCount: number): void {
    const { record } = entry
    const selected = record.selectedFiles
    if (!selected || selected.every((i) => i < fileCount)) return
    const kept = selected.filter((i) => i < fileCount)
    this.hooks.log(
      `${record.infoHash}: the magnet link selects files the torrent does not have (it has ${fileCount}); ` +
        (kept.length > 0 ? 'ignoring those' : 'downloading every file'),
    )
    record.selectedFiles = kept.length > 0 ? kept : null
    entry.torrent?.selectFiles(record.selectedFiles)
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
    const torrent = entry.torrent
    if (!torrent?.ready || !entry.decoded || !entry.fileStates) return null
    const pieces = torrent.verifiedPieces()
    if (!pieces) return null
    return {
      bitfield: Buffer.from(pieces).toString('base64'),
      ...(await entry.fileStates.snapshot()),
    }
  }
}
