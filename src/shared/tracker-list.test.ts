import { describe, expect, it } from 'vitest'
import { dedupeTiers, formatTrackerText, isWebSeedUrl, parseTrackerText } from './tracker-list'
import { EditTrackersRequestSchema, EditWebSeedsRequestSchema } from './tracker-schemas'
import { MAX_TRACKERS_PER_TORRENT } from './tracker-url'

const HASH = 'a'.repeat(40)

describe('tracker text', () => {
  it('reads one URL a line and a new tier after each run of blank lines', () => {
    expect(parseTrackerText('\n a \nb\n\n\n c\r\n\n')).toEqual([['a', 'b'], ['c']])
    expect(parseTrackerText('  \n')).toEqual([])
  })

  it('writes what it reads', () => {
    const tiers = [['udp://[::1]:1', 'http://x/a'], ['http://y/a']]
    expect(parseTrackerText(formatTrackerText(tiers))).toEqual(tiers)
  })

  it('keeps each URL once, where it first appears, and drops tiers left empty', () => {
    expect(dedupeTiers([['a', 'b', 'a'], ['b'], [], ['c']])).toEqual([['a', 'b'], ['c']])
  })
})

describe('edit schemas', () => {
  it('take tiers of tracker URLs within the budget, duplicates counting once', () => {
    const url = (i: number): string => `http://127.0.0.1:1/a?${i}`
    const full = Array.from({ length: MAX_TRACKERS_PER_TORRENT }, (_, i) => [url(i)])
    expect(EditTrackersRequestSchema.safeParse({ infoHash: HASH, tiers: full }).success).toBe(true)
    const repeated = [full.flat(), full.flat()]
    expect(EditTrackersRequestSchema.safeParse({ infoHash: HASH, tiers: repeated }).success).toBe(
      true,
    )
    const over = [[...full.flat(), url(MAX_TRACKERS_PER_TORRENT)]]
    expect(EditTrackersRequestSchema.safeParse({ infoHash: HASH, tiers: over }).success).toBe(false)
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'http://a/\nb', 'ftp://a/']) {
      expect(EditTrackersRequestSchema.safeParse({ infoHash: HASH, tiers: [[bad]] }).success).toBe(
        false,
      )
    }
  })

  it('take web seeds over http and https only, at most ten', () => {
    expect(isWebSeedUrl('https://x.test/files/')).toBe(true)
    for (const bad of ['udp://x.test:1', 'ws://x.test/', 'https://', 'https://x.test/\u0000']) {
      expect(isWebSeedUrl(bad), bad).toBe(false)
    }
    const urls = Array.from({ length: 11 }, (_, i) => `https://x.test/${i}`)
    expect(EditWebSeedsRequestSchema.safeParse({ infoHash: HASH, urls }).success).toBe(false)
    expect(
      EditWebSeedsRequestSchema.safeParse({ infoHash: HASH, urls: urls.slice(0, 10) }).success,
    ).toBe(true)
  })
})
