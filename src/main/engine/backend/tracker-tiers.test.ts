import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AnnounceOpts, AnnouncingClient, WireTracker } from './tracker-tiers'
import {
  ATTEMPT_TIMEOUT_MS,
  DEFAULT_INTERVAL_MS,
  FIRST_RETRY_MS,
  TierAnnouncer,
  TrackerTiers,
} from './tracker-tiers'

/** Plays bittorrent-tracker's client: each tracker records what it was sent; the test answers. */
class FakeTracker extends EventEmitter implements WireTracker {
  intervalMs?: number
  constructor(
    readonly announceUrl: string,
    private readonly sent: string[],
    private readonly name: string,
  ) {
    super()
  }
  announce(opts: AnnounceOpts): void {
    this.sent.push(`${this.name}:${opts.event ?? 'update'}`)
  }
  reply(intervalMs?: number): void {
    this.intervalMs = intervalMs
    this.emit('announced', null)
  }
  fail(): void {
    this.emit('announced', new Error('down'))
  }
}

function setup(tiers: string[][], random: () => number = () => 0.999) {
  const sent: string[] = []
  const trackers = new Map(
    tiers.flat().map((u) => [u, new FakeTracker(u.replace(/\/$/, ''), sent, u)]),
  )
  const client: AnnouncingClient = {
    _trackers: [...trackers.values()],
    _defaultAnnounceOpts: () => ({ uploaded: 0 }),
  }
  const order = new TrackerTiers(tiers, random)
  const announcer = new TierAnnouncer(client, order)
  const log = (): string[] => [...sent]
  return { trackers, order, announcer, log, t: (u: string) => trackers.get(u)! }
}

describe('TrackerTiers', () => {
  it('shuffles each tier once, keeping tiers in order', () => {
    // A random of 0 moves each last element to the front in turn: [a, b, c] becomes [b, c, a].
    const tiers = new TrackerTiers([['a', 'b', 'c'], ['d']], () => 0)
    expect(tiers.tiers).toEqual([['b', 'c', 'a'], ['d']])
    expect(tiers.order()).toEqual(['b', 'c', 'a', 'd'])
  })

  it('moves a tracker that replied to the front of its own tier only', () => {
    const tiers = new TrackerTiers([['a', 'b', 'c'], ['d', 'e']], () => 0.999)
    tiers.promote('c')
    tiers.promote('e')
    expect(tiers.tiers).toEqual([['c', 'a', 'b'], ['e', 'd']])
  })
})

describe('TierAnnouncer', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('announces to the first tracker of the first tier only while it replies', () => {
    const { announcer, log, t } = setup([['a', 'b'], ['c']])
    announcer.announce({ event: 'started' })
    t('a').reply(120_000)
    expect(log()).toEqual(['a:started'])
    vi.advanceTimersByTime(120_000)
    expect(log()).toEqual(['a:started', 'a:update'])
  })

  it('fails over within a tier, then across tiers, and remembers the one that worked', () => {
    const { announcer, log, order, t } = setup([['a', 'b'], ['c', 'd']])
    announcer.announce({ event: 'started' })
    t('a').fail()
    t('b').fail()
    t('c').fail()
    t('d').reply()
    expect(log()).toEqual(['a:started', 'b:started', 'c:started', 'd:started'])
    expect(order.tiers).toEqual([['a', 'b'], ['d', 'c']])

    // The next regular announce starts from the top again, now with d first in its tier.
    vi.advanceTimersByTime(DEFAULT_INTERVAL_MS)
    t('a').fail()
    t('b').fail()
    expect(log().slice(4)).toEqual(['a:update', 'b:update', 'd:update'])
  })

  it('says when the next walk starts: the interval after a reply, the backoff after all failed', () => {
    const { announcer, t } = setup([['a'], ['b']])
    announcer.announce({ event: 'started' })
    expect(announcer.nextAnnounceAt()).toBeNull()
    t('a').reply(120_000)
    expect(announcer.nextAnnounceAt()).toBe(Date.now() + 120_000)
    vi.advanceTimersByTime(120_000)
    expect(announcer.nextAnnounceAt()).toBeNull()
    t('a').fail()
    t('b').fail()
    expect(announcer.nextAnnounceAt()).toBe(Date.now() + FIRST_RETRY_MS)
    announcer.destroy()
    expect(announcer.nextAnnounceAt()).toBeNull()
  })

  it('moves on from a tracker that never answers', () => {
    const { announcer, log } = setup([['a'], ['b']])
    announcer.announce({ event: 'started' })
    vi.advanceTimersByTime(ATTEMPT_TIMEOUT_MS)
    expect(log()).toEqual(['a:started', 'b:started'])
  })

  it('retries a failed start later, still as a start, backing off', () => {
    const { announcer, log, t } = setup([['a']])
    announcer.announce({ event: 'started' })
    t('a').fail()
    vi.advanceTimersByTime(FIRST_RETRY_MS - 1)
    expect(log()).toEqual(['a:started'])
    vi.advanceTimersByTime(1)
    t('a').fail()
    vi.advanceTimersByTime(FIRST_RETRY_MS)
    expect(log()).toEqual(['a:started', 'a:started'])
    vi.advanceTimersByTime(FIRST_RETRY_MS)
    expect(log()).toEqual(['a:started', 'a:started', 'a:started'])
  })

  it('tells only the working tracker that it stops, and then stays quiet', () => {
    const { announcer, log, t } = setup([['a'], ['b']])
    announcer.announce({ event: 'started' })
    t('a').fail()
    t('b').reply()
    announcer.announce({ event: 'stopped' })
    vi.advanceTimersByTime(DEFAULT_INTERVAL_MS * 4)
    expect(log()).toEqual(['a:started', 'b:started', 'b:stopped'])
  })

  it('reannounces at once: a walk from the top, or the one tracker named', () => {
    const { announcer, log, t } = setup([['a'], ['b']])
    announcer.announce({ event: 'started' })
    t('a').reply()
    announcer.reannounce()
    t('a').reply()
    announcer.reannounce('b')
    expect(log()).toEqual(['a:started', 'a:update', 'b:update'])
  })

  it('matches the URL bittorrent-tracker dropped a trailing slash from', () => {
    const { announcer, log, t } = setup([['http://x/announce/'], ['b']])
    announcer.announce({ event: 'started' })
    t('http://x/announce/').reply()
    vi.advanceTimersByTime(ATTEMPT_TIMEOUT_MS)
    expect(log()).toEqual(['http://x/announce/:started'])
  })

  it('stops its timers when destroyed', () => {
    const { announcer, log, t } = setup([['a']])
    announcer.announce({ event: 'started' })
    t('a').reply()
    announcer.destroy()
    vi.advanceTimersByTime(DEFAULT_INTERVAL_MS * 2)
    expect(log()).toEqual(['a:started'])
  })
})
