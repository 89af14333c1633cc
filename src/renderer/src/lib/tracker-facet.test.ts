import { describe, expect, it } from 'vitest'
import { summary } from '../test/fake-client'
import { matchesTracker, TRACKERLESS, trackerCounts, trackerHosts } from './tracker-facet'

const withTrackers = (...tr: string[]) =>
  summary({
    magnetURI: `magnet:?xt=urn:btih:${'a'.repeat(40)}${tr.map((u) => `&tr=${encodeURIComponent(u)}`).join('')}`,
  })

describe('tracker facet', () => {
  it('groups by host name from the magnet link, once per host', () => {
    const t = withTrackers(
      'http://Tracker.Example:6969/announce',
      'udp://tracker.example:1337',
      'https://other.test/a',
      'not a url',
    )
    expect(trackerHosts(t)).toEqual(['tracker.example', 'other.test'])
  })

  it('counts torrents per host and the trackerless ones', () => {
    const a = withTrackers('http://one.test/announce')
    const b = withTrackers('http://one.test/announce', 'http://two.test/announce')
    const c = summary({ magnetURI: `magnet:?xt=urn:btih:${'c'.repeat(40)}` })
    expect(trackerCounts([a, b, c])).toEqual({
      hosts: [
        { host: 'one.test', count: 2 },
        { host: 'two.test', count: 1 },
      ],
      trackerless: 1,
    })
    expect(matchesTracker(b, 'two.test')).toBe(true)
    expect(matchesTracker(a, 'two.test')).toBe(false)
    expect(matchesTracker(c, TRACKERLESS)).toBe(true)
    expect(matchesTracker(a, TRACKERLESS)).toBe(false)
    expect(matchesTracker(a, null)).toBe(true)
  })
})
