/**
 * Multitracker tiers (BEP 12), as Seedling schedules them. bittorrent-tracker speaks the wire protocols
 * but announces to every tracker at once; Seedling's patch lets a client take an announcer instead, and
 * this is it: each announce walks the tiers in order, the trackers of a tier in their (shuffled once)
 * order, stops at the first tracker that replies and moves that one to the front of its tier, so the
 * next announce starts with it. Only when every tracker of a tier fails does the next tier get a turn.
 */
import type { EventEmitter } from 'node:events'

/** How long one tracker may take before the walk moves on (bittorrent-tracker gives up at 15 s). */
export const ATTEMPT_TIMEOUT_MS = 20_000
/** When every tracker failed: the first retry, doubled each time up to the most. */
export const FIRST_RETRY_MS = 60_000
export const MAX_RETRY_MS = 30 * 60_000
/** The interval when the tracker that replied named none. */
export const DEFAULT_INTERVAL_MS = 30 * 60_000

/**
 * A torrent's tiers in announce order. Each tier is shuffled once, when the torrent's list is first
 * known (BEP 12 lets the list's author count on the load spreading), and then only reordered by
 * `promote`; the engine keeps one per torrent across pauses, so a working tracker stays first.
 */
export class TrackerTiers {
  readonly tiers: string[][]

  constructor(tiers: readonly (readonly string[])[], random: () => number = Math.random) {
    this.tiers = tiers.filter((t) => t.length > 0).map((t) => shuffled(t, random))
  }

  /** Every tracker, tier by tier, in the order an announce tries them. */
  order(): string[] {
    return this.tiers.flat()
  }

  /** The tracker replied: it goes first in its tier. */
  promote(url: string): void {
    const tier = this.tiers.find((t) => t.includes(url))
    if (!tier || tier[0] === url) return
    tier.splice(tier.indexOf(url), 1)
    tier.unshift(url)
  }
}

function shuffled(list: readonly string[], random: () => number): string[] {
  const out = [...list]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** One tracker of bittorrent-tracker's client, as Seedling's patch leaves it. */
export interface WireTracker extends EventEmitter {
  announceUrl: string
  /** The interval the tracker asked for (clamped by the patch), in ms. */
  intervalMs?: number
  announce(opts: AnnounceOpts): void
}

/** bittorrent-tracker's announce options; `event` is absent for a regular update. */
export interface AnnounceOpts {
  event?: string
  [key: string]: unknown
}

/** What the announcer needs of bittorrent-tracker's client. */
export interface AnnouncingClient {
  _trackers: WireTracker[]
  _defaultAnnounceOpts(): AnnounceOpts
}

/** bittorrent-tracker drops one trailing slash from each URL; the tiers keep the user's spelling. */
export const wireUrl = (url: string): string => (url.endsWith('/') ? url.slice(0, -1) : url)

interface Walk {
  opts: AnnounceOpts
  /** Trackers still to try, in order. */
  queue: string[]
  current: string | null
}

/** The announcer Seedling's bittorrent-tracker patch asks for (`opts.announcer(client)`). */
export class TierAnnouncer {
  private readonly trackers = new Map<string, WireTracker>()
  private readonly listeners: Array<() => void> = []
  private walk: Walk | null = null
  /** The tracker that replied last: it alone is told we stop. */
  private active: string | null = null
  private failedWalks = 0
  private attemptTimer: ReturnType<typeof setTimeout> | null = null
  private nextTimer: ReturnType<typeof setTimeout> | null = null
  /** When nextTimer starts the next walk, ms since the epoch. */
  private nextAt: number | null = null
  private destroyed = false

  constructor(
    private readonly client: AnnouncingClient,
    private readonly tiers: TrackerTiers,
  ) {
    for (const tracker of client._trackers) {
      const url = this.tiers.order().find((u) => wireUrl(u) === tracker.announceUrl)
      if (!url) continue
      this.trackers.set(url, tracker)
      const onAnnounced = (err: Error | null): void => this.onOutcome(url, err)
      tracker.on('announced', onAnnounced)
      this.listeners.push(() => tracker.off('announced', onAnnounced))
    }
  }

  /** Called by the client for `started`, `completed`, `stopped` and regular updates. */
  announce(opts: AnnounceOpts): void {
    if (this.destroyed) return
    if (opts.event === 'stopped') {
      this.clearTimers()
      this.walk = null
      if (this.active) this.trackers.get(this.active)?.announce(opts)
      this.active = null
      return
    }
    this.startWalk(opts)
  }

  /** An announce now: to one tracker when named (whatever its tier), else a walk from the top. */
  reannounce(url?: string): void {
    if (this.destroyed) return
    const opts = this.client._defaultAnnounceOpts()
    if (url === undefined) return this.startWalk(opts)
    this.trackers.get(url)?.announce(opts)
  }

  /** When the next walk starts (ms since the epoch); null while one runs or none is due. */
  nextAnnounceAt(): number | null {
    return this.nextAt
  }

  destroy(): void {
    this.destroyed = true
    this.clearTimers()
    this.walk = null
    for (const off of this.listeners.splice(0)) off()
  }

  private startWalk(opts: AnnounceOpts): void {
    this.clearTimers()
    this.walk = { opts, queue: this.tiers.order().filter((u) => this.trackers.has(u)), current: null }
    this.next()
  }

  private next(): void {
    const walk = this.walk
    if (!walk) return
    const url = walk.queue.shift()
    if (url === undefined) return this.allFailed(walk.opts)
    walk.current = url
    this.attemptTimer = setTimeout(() => this.onOutcome(url, new Error('no reply')), ATTEMPT_TIMEOUT_MS)
    this.attemptTimer.unref?.()
    this.trackers.get(url)!.announce(walk.opts)
  }

  private onOutcome(url: string, err: Error | null): void {
    if (this.destroyed) return
    if (!err) this.tiers.promote(url)
    const walk = this.walk
    if (!walk || walk.current !== url) return
    if (this.attemptTimer) clearTimeout(this.attemptTimer)
    this.attemptTimer = null
    if (err) return this.next()
    this.walk = null
    this.active = url
    this.failedWalks = 0
    this.schedule(this.trackers.get(url)?.intervalMs ?? DEFAULT_INTERVAL_MS, () =>
      this.startWalk(this.client._defaultAnnounceOpts()),
    )
  }

  /** No tracker replied: the same announce (a `started` stays one) again later, backing off. */
  private allFailed(opts: AnnounceOpts): void {
    this.walk = null
    const delay = Math.min(FIRST_RETRY_MS * 2 ** this.failedWalks, MAX_RETRY_MS)
    this.failedWalks++
    const { event } = opts
    this.schedule(delay, () => {
      const fresh = this.client._defaultAnnounceOpts()
      this.startWalk(event ? { ...fresh, event } : fresh)
    })
  }

  private schedule(ms: number, fn: () => void): void {
    if (this.nextTimer) clearTimeout(this.nextTimer)
    this.nextAt = Date.now() + ms
    this.nextTimer = setTimeout(() => {
      this.nextAt = null
      fn()
    }, ms)
    this.nextTimer.unref?.()
  }

  private clearTimers(): void {
    if (this.attemptTimer) clearTimeout(this.attemptTimer)
    if (this.nextTimer) clearTimeout(this.nextTimer)
    this.attemptTimer = null
    this.nextTimer = null
    this.nextAt = null
  }
}
