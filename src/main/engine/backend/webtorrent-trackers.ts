/**
 * The glue between webtorrent and Seedling's tracker tiers: the announcer every tracker client of a
 * webtorrent client gets (through bittorrent-tracker's `announcer` option, Seedling's patch), and the
 * changes made to a running torrent's trackers and web seeds.
 *
 * webtorrent's torrent-discovery builds one tracker client per torrent from a flat list; the tiers of
 * that torrent are looked up here by info hash when it does.
 */
import type WebTorrent from 'webtorrent'
import type { ParsedTorrentLike, Torrent, TorrentOptions } from 'webtorrent'
import type { AnnouncingClient } from './tracker-tiers'
import { TierAnnouncer, TrackerTiers } from './tracker-tiers'
import type { AddSpec } from './types'
import { toParsedTorrent } from './webtorrent-map'

interface Registered {
  tiers: TrackerTiers
  announcer: TierAnnouncer | null
}

/** The tiers and the current announcer of each torrent in one webtorrent client. */
export class TierRegistry {
  private readonly torrents = new Map<string, Registered>()

  set(infoHash: string, tiers: TrackerTiers): void {
    const known = this.torrents.get(infoHash)
    if (known) known.tiers = tiers
    else this.torrents.set(infoHash, { tiers, announcer: null })
  }

  /** Only the registration of `tiers`: a re-added torrent may already have registered anew. */
  forget(infoHash: string, tiers: TrackerTiers): void {
    if (this.torrents.get(infoHash)?.tiers === tiers) this.torrents.delete(infoHash)
  }

  reannounce(infoHash: string, url?: string): void {
    this.torrents.get(infoHash)?.announcer?.reannounce(url)
  }

  nextAnnounceAt(infoHash: string): number | null {
    return this.torrents.get(infoHash)?.announcer?.nextAnnounceAt() ?? null
  }

  /** bittorrent-tracker's `announcer` option: called once per tracker client it makes. */
  readonly announcer = (client: AnnouncingClient & { infoHash: string }): TierAnnouncer => {
    let known = this.torrents.get(client.infoHash)
    if (!known) {
      // Not added through the backend (never so in Seedling): each tracker its own tier, in order.
      known = { tiers: new TrackerTiers(client._trackers.map((t) => [t.announceUrl])), announcer: null }
      this.torrents.set(client.infoHash, known)
    }
    const announcer = new TierAnnouncer(client, known.tiers)
    known.announcer = announcer
    return announcer
  }
}

/** The tracker options for a webtorrent client whose torrents announce by tiers. */
export function tieredTrackerOptions(base: unknown, registry: TierRegistry): object {
  return { ...(typeof base === 'object' ? base : {}), announcer: registry.announcer, seedlingTiers: registry }
}

/** The registry a webtorrent client was made with (tieredTrackerOptions). */
export function tierRegistryOf(client: WebTorrent): TierRegistry | null {
  const tracker = (client as unknown as { tracker?: { seedlingTiers?: unknown } }).tracker
  return tracker?.seedlingTiers instanceof TierRegistry ? tracker.seedlingTiers : null
}

/** The parts of webtorrent's torrent and torrent-discovery that a change of trackers touches. */
interface TrackerHost {
  announce?: string[]
  urlList?: string[]
  metadata: unknown
  destroyed: boolean
  addWebSeed(url: string): void
  removePeer(id: string): void
  discovery?: {
    _announce: string[] | null
    tracker: DiscoveryTracker | null
    _createTracker(): DiscoveryTracker
  } | null
}

interface DiscoveryTracker {
  stop(): void
  destroy(cb?: () => void): void
  removeAllListeners(): void
  on(event: string, fn: () => void): void
}

/**
 * Swaps a running torrent's tracker client for one over `urls` (the tiers registered first), as
 * torrent-discovery does when its port changes: the trackers of the old list are told we stop, the new
 * client announces `started` to the first tier. Before discovery starts, the list is all that changes.
 * Returns whether a new tracker client was made (callers then listen to it again).
 */
export function replaceTrackers(torrent: Torrent, urls: string[]): boolean {
  const wt = torrent as unknown as TrackerHost
  wt.announce = urls
  const discovery = wt.discovery
  if (!discovery || wt.destroyed) return false
  discovery._announce = urls
  const old = discovery.tracker
  if (old) {
    // Its late replies and errors are about a list that is gone.
    old.removeAllListeners()
    old.on('warning', () => undefined)
    old.on('error', () => undefined)
    old.stop()
    old.destroy()
  }
  discovery.tracker = discovery._createTracker()
  return true
}

/** Web seeds of a running torrent: new ones are connected (once it has metadata), dropped ones closed. */
export function replaceWebSeeds(torrent: Torrent, urls: string[]): void {
  const wt = torrent as unknown as TrackerHost
  const before = new Set(wt.urlList ?? [])
  wt.urlList = urls
  if (wt.destroyed) return
  for (const url of before) if (!urls.includes(url)) wt.removePeer(url)
  // Without metadata webtorrent adds every url of urlList itself once the metadata comes.
  if (!wt.metadata) return
  for (const url of urls) if (!before.has(url)) wt.addWebSeed(url)
}

/**
 * What to hand webtorrent for a torrent: the trackers (and, once edited, the web seeds) always come from
 * the spec, never from the file's or link's own lists, so an edit that removed one sticks.
 */
export function torrentSource(
  spec: AddSpec,
  opts: TorrentOptions & { urlList?: string[] },
): ParsedTorrentLike | string {
  if (spec.decoded) {
    const parsed = toParsedTorrent(spec.decoded, [])
    parsed.announce = spec.trackers
    if (spec.webSeeds) parsed.urlList = spec.webSeeds
    return parsed
  }
  opts.announce = spec.trackers
  if (spec.webSeeds) opts.urlList = spec.webSeeds
  return linkWithout(spec.magnetURI, spec.webSeeds ? ['tr', 'ws'] : ['tr'])
}

/** A magnet link without the given parameters. */
function linkWithout(uri: string, keys: string[]): string {
  const at = uri.indexOf('?')
  if (at < 0) return uri
  const kept = uri
    .slice(at + 1)
    .split('&')
    .filter((param) => !keys.includes(param.split('=')[0]!.toLowerCase()))
  return `${uri.slice(0, at)}?${kept.join('&')}`
}
