/** One torrent in a webtorrent client, behind the BackendTorrent seam. */
import type WebTorrent from 'webtorrent'
import type { Torrent, Wire } from 'webtorrent'
import type { PeerEntry } from '@shared/api'
import type { AddSpec, BackendTorrent, SwarmCounts, TorrentCounters, TorrentEvents } from './types'
import type { WebSeedReport } from './types'
import { WebSeedWatch } from './webseed-status'
import type { TrackerTiers } from './tracker-tiers'
import { inProgressPieces, isSeeder, toPeerEntry } from './webtorrent-map'
import type { TierRegistry } from './webtorrent-trackers'
import { replaceTrackers, replaceWebSeeds, tierRegistryOf } from './webtorrent-trackers'
import { advertiseListenPort } from './pex-sender'

export class WebTorrentTorrent implements BackendTorrent {
  private selected: number[] | null
  /** Set at remove(): a stopped torrent's late events must not reach the engine. */
  private removed = false
  /**
   * Payload sent and received over this torrent's wires, closed ones included. Not webtorrent's
   * `downloaded` (verified bytes, so every re-add or a seeded torrent would count its whole size again)
   * nor its `received`/`uploaded` (raw socket bytes, handshakes and keep-alives included).
   */
  private payloadDown = 0
  private payloadUp = 0
  /** The tiers of the client's torrents (webtorrent-trackers.ts) and this one's in force. */
  private readonly tiers: TierRegistry | null
  private trackerTiers: TrackerTiers
  private readonly infoHash: string
  private readonly webSeedWatch: WebSeedWatch

  constructor(
    private readonly client: WebTorrent,
    private readonly wt: Torrent,
    spec: AddSpec,
    private readonly events: TorrentEvents,
    private readonly log: (message: string) => void,
  ) {
    this.selected = spec.selectedFiles
    this.tiers = tierRegistryOf(client)
    this.trackerTiers = spec.trackerTiers
    this.infoHash = spec.infoHash
    this.webSeedWatch = new WebSeedWatch(wt)
    wt.once('infoHash', () => {
      for (const peer of spec.peers) wt.addPeer(peer)
    })
    wt.on('metadata', () => {
      if (this.removed) return
      events.metadata()
      this.applySelection()
    })
    wt.on('ready', () => this.applySelection())
    wt.on('wire', (wire: Wire) => {
      advertiseListenPort(wire, client.address()?.port)
      wire.on('download', (bytes: number) => (this.payloadDown += bytes))
      wire.on('upload', (bytes: number) => (this.payloadUp += bytes))
    })
    // After webtorrent has written the piece: a stat sees the file with it.
    wt.on('verified', (piece: number) => !this.removed && events.verified(piece))
    wt.on('done', () => !this.removed && events.done())
    wt.on('error', (err: unknown) => {
      if (!this.removed) events.error(err instanceof Error ? err.message : String(err))
    })
    wt.on('ban', (address: string, peerId: string | null) => {
      if (!this.removed) events.banned(address, peerId ?? null)
    })
    wt.on('warning', (err: Error) => {
      if (this.removed) return
      // Seedling's bittorrent-tracker patch tags announce errors with the tracker's URL.
      const tagged = (err as Error & { announce?: unknown }).announce
      events.warning({
        message: err.message ?? String(err),
        announce: typeof tagged === 'string' ? tagged : null,
      })
    })
    this.watchTrackers()
  }

  get ready(): boolean {
    return this.wt.ready
  }

  counters(): TorrentCounters {
    return { downloaded: this.payloadDown, uploaded: this.payloadUp }
  }

  verifiedPieces(): Uint8Array | null {
    const bitfield = this.wt.bitfield as Torrent['bitfield'] | undefined
    return bitfield ? Uint8Array.from(bitfield.buffer) : null
  }

  inProgressPieces(): number[] {
    return inProgressPieces(this.wt)
  }

  peers(pieceCount: number): PeerEntry[] {
    return this.wt.wires.map((w) => toPeerEntry(w, pieceCount))
  }

  swarm(pieceCount: number): SwarmCounts {
    const wires = this.wt.wires
    return { peers: wires.length, seeds: wires.filter((w) => isSeeder(w, pieceCount)).length }
  }

  nextAnnounceAt(): number | null {
    return this.tiers?.nextAnnounceAt(this.infoHash) ?? null
  }

  webSeeds(): WebSeedReport[] {
    return this.webSeedWatch.reports()
  }

  selectFiles(selected: number[] | null): void {
    this.selected = selected
    if (selected === null && this.wt.pieces.length > 0) this.wt.select(0, this.wt.pieces.length - 1)
    this.applySelection()
  }

  setTrackers(trackers: string[], tiers: TrackerTiers): void {
    this.tiers?.set(this.infoHash, tiers)
    this.trackerTiers = tiers
    if (replaceTrackers(this.wt, trackers)) this.watchTrackers()
  }

  reannounce(url: string | null): void {
    this.tiers?.reannounce(this.infoHash, url ?? undefined)
  }

  setWebSeeds(urls: string[]): void {
    replaceWebSeeds(this.wt, urls)
  }

  /** A torrent that failed was already dropped by webtorrent itself, whose remove() would reject. */
  remove(): Promise<void> {
    this.removed = true
    this.tiers?.forget(this.infoHash, this.trackerTiers)
    const { client, wt } = this
    if (!client.torrents.includes(wt)) return Promise.resolve()
    return new Promise<void>((resolve) => {
      client
        .remove(wt, { destroyStore: false }, () => resolve())
        .catch((err: Error) => {
          this.log(`could not stop torrent ${wt.infoHash}: ${err.message}`)
          resolve()
        })
    })
  }

  private applySelection(): void {
    const { wt, selected } = this
    if (!selected || wt.pieces.length === 0 || wt.files.length === 0) return
    const chosen = new Set(selected)
    // Clear everything, then select only the chosen files. Never file.deselect() an unchosen file:
    // webtorrent removes its whole piece range from the selections, which cuts the piece it shares
    // with a chosen neighbour out of that neighbour's range, so those bytes were never requested and
    // the torrent stalled short of 100%.
    wt.deselect(0, wt.pieces.length - 1)
    wt.files.forEach((file, index) => {
      if (chosen.has(index)) file.select()
    })
  }

  /** The tracker client may not exist yet when the torrent is added. */
  private watchTrackers(): void {
    const tracker = this.wt.discovery?.tracker
    if (!tracker) {
      this.wt.once('ready', () => {
        if (!this.removed && this.wt.discovery?.tracker) this.watchTrackers()
      })
      return
    }
    tracker.on(
      'update',
      (data: { announce?: string; complete?: unknown; incomplete?: unknown }) => {
        if (this.removed || !data.announce) return
        this.events.trackerReply({
          announce: data.announce,
          seeders: typeof data.complete === 'number' ? data.complete : null,
          leechers: typeof data.incomplete === 'number' ? data.incomplete : null,
        })
      },
    )
  }
}
