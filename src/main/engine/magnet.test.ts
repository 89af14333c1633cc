import { describe, expect, it } from 'vitest'
import { MAX_MAGNET_PEERS, MAX_SELECT_ONLY, parseSelectOnly, parseTorrentLink } from './magnet'
import { MetaInfoError } from './metainfo'
import { MAX_TRACKERS_PER_TORRENT } from '@shared/schema'

const HEX = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a'
// The same 20 bytes in base32 (RFC 4648, no padding).
const BASE32 = 'YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK'

function fails(input: string, message: RegExp): void {
  expect(() => parseTorrentLink(input)).toThrow(MetaInfoError)
  expect(() => parseTorrentLink(input)).toThrow(message)
}

describe('parseTorrentLink', () => {
  it('takes a bare hex info hash in any case', () => {
    const m = parseTorrentLink(`  ${HEX.toUpperCase()}\n`)
    expect(m).toEqual({
      infoHash: HEX,
      name: null,
      trackers: [],
      webSeeds: [],
      peers: [],
      magnetURI: `magnet:?xt=urn:btih:${HEX}`,
    })
  })

  it('takes a bare base32 info hash and converts it to hex', () => {
    expect(parseTorrentLink(BASE32).infoHash).toBe(HEX)
    expect(parseTorrentLink(BASE32.toLowerCase()).infoHash).toBe(HEX)
    expect(parseTorrentLink('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').infoHash).toBe('0'.repeat(40))
    expect(parseTorrentLink('77777777777777777777777777777777').infoHash).toBe('f'.repeat(40))
  })

  it('reads a full magnet link', () => {
    const m = parseTorrentLink(
      `magnet:?xt=urn:btih:${HEX.toUpperCase()}&dn=Big+Buck%20Bunny` +
        '&tr=udp%3A%2F%2Ftracker.example%3A1337&tr=wss://w.example&tr=ftp://nope&tr=udp%3A%2F%2Ftracker.example%3A1337' +
        '&ws=https%3A%2F%2Fseed.example%2F&ws=udp://not-a-seed' +
        '&x.pe=10.0.0.1:6881&x.pe=[::1]:51413&x.pe=host.example:1&x.pe=bad&x.pe=1.2.3.4:0&x.pe=1.2.3.4:70000' +
        '&xl=1234&so=0',
    )
    expect(m.infoHash).toBe(HEX)
    expect(m.name).toBe('Big Buck Bunny')
    expect(m.trackers).toEqual(['udp://tracker.example:1337', 'wss://w.example'])
    expect(m.webSeeds).toEqual(['https://seed.example/'])
    expect(m.peers).toEqual(['10.0.0.1:6881', '[::1]:51413', 'host.example:1'])
    expect(m.magnetURI).toBe(
      `magnet:?xt=urn:btih:${HEX}&dn=Big%20Buck%20Bunny` +
        '&tr=udp%3A%2F%2Ftracker.example%3A1337&tr=wss%3A%2F%2Fw.example' +
        '&ws=https%3A%2F%2Fseed.example%2F' +
        '&x.pe=10.0.0.1%3A6881&x.pe=%5B%3A%3A1%5D%3A51413&x.pe=host.example%3A1',
    )
  })

  it('reads a base32 hash and numbered keys inside a magnet', () => {
    const m = parseTorrentLink(
      `MAGNET:?xt.1=urn:btih:${BASE32}&tr.1=http://a.example/ann&tr.2=http://b.example/ann`,
    )
    expect(m.infoHash).toBe(HEX)
    expect(m.trackers).toEqual(['http://a.example/ann', 'http://b.example/ann'])
  })

  it('normalizes so the output parses back to the same thing', () => {
    const first = parseTorrentLink(`magnet:?dn=x&xt=urn:btih:${BASE32}&tr=http://t.example/a`)
    expect(parseTorrentLink(first.magnetURI)).toEqual(first)
  })

  it('uses the v1 hash of a hybrid magnet', () => {
    const m = parseTorrentLink(`magnet:?xt=urn:btmh:1220${'a'.repeat(64)}&xt=urn:btih:${HEX}`)
    expect(m.infoHash).toBe(HEX)
  })

  it('rejects v2-only magnets clearly', () => {
    fails(
      `magnet:?xt=urn:btmh:1220${'a'.repeat(64)}`,
      /^v2-only magnet links are not yet supported$/,
    )
  })

  it.each([
    ['', /not a magnet link or info hash/],
    ['hello', /not a magnet link or info hash/],
    [HEX.slice(1), /not a magnet link or info hash/],
    [`${HEX}0`, /not a magnet link or info hash/],
    ['http://example.com/a.torrent', /not a magnet link or info hash/],
    ['magnet:?dn=nothing', /has no BitTorrent info hash/],
    ['magnet:?xt=urn:sha1:abc', /has no BitTorrent info hash/],
    [`magnet:?xt=urn:btih:${HEX}&xt=urn:btih:${'0'.repeat(40)}`, /more than one xt=urn:btih:/],
    [`magnet:?xt=urn:btih:${HEX}&xt=urn:btih:${HEX}`, /more than one/],
    ['magnet:?xt=urn:btih:xyz', /invalid info hash/],
    [`magnet:?xt=urn:btih:${HEX}1`, /invalid info hash/],
    [`magnet:?xt=urn:btih:${'g'.repeat(40)}`, /invalid info hash/],
    [`magnet:?xt=urn:btih:${BASE32.slice(0, 31)}1`, /invalid info hash/],
  ])('rejects %j', (input, message) => fails(input, message))
})

describe('parseTorrentLink: budgets', () => {
  it(`keeps only the first ${MAX_TRACKERS_PER_TORRENT} of thousands of tr=`, () => {
    const trs = Array.from({ length: 5000 }, (_, i) => `&tr=udp://t${i}.example:80`).join('')
    const m = parseTorrentLink(`magnet:?xt=urn:btih:${HEX}${trs}`)
    expect(m.trackers).toHaveLength(MAX_TRACKERS_PER_TORRENT)
    expect(m.trackers[0]).toBe('udp://t0.example:80')
    expect(m.trackers.at(-1)).toBe(`udp://t${MAX_TRACKERS_PER_TORRENT - 1}.example:80`)
    expect(m.magnetURI.match(/&tr=/g)).toHaveLength(MAX_TRACKERS_PER_TORRENT)
  })

  it(`keeps only the first ${MAX_MAGNET_PEERS} x.pe peers`, () => {
    const pes = Array.from({ length: 3000 }, (_, i) => `&x.pe=127.0.0.1:${1000 + i}`).join('')
    const m = parseTorrentLink(`magnet:?xt=urn:btih:${HEX}${pes}`)
    expect(m.peers).toHaveLength(MAX_MAGNET_PEERS)
    expect(m.peers[0]).toBe('127.0.0.1:1000')
  })
})

describe('parseSelectOnly (BEP 53 so=)', () => {
  const link = (so: string): string => `magnet:?xt=urn:btih:${HEX}&${so}`

  it('reads single indices and ranges, sorted and unique', () => {
    expect(parseSelectOnly(link('so=0,2,4-6'))).toEqual([0, 2, 4, 5, 6])
    expect(parseSelectOnly(link('so=6,4-5,2,2,0'))).toEqual([0, 2, 4, 5, 6])
    expect(parseSelectOnly(link('so=1&so=3-4'))).toEqual([1, 3, 4])
    expect(parseSelectOnly(link('so=1%2C3'))).toEqual([1, 3])
  })

  it('selects nothing special without so= or with nothing usable in it', () => {
    expect(parseSelectOnly(link('dn=x'))).toBeNull()
    expect(parseSelectOnly(link('so='))).toBeNull()
    expect(parseSelectOnly(link('so=a,-1,3-1,1.5'))).toBeNull()
    expect(parseSelectOnly(HEX)).toBeNull()
  })

  it('skips malformed items and keeps the rest', () => {
    expect(parseSelectOnly(link('so=x,1,,2-y,3'))).toEqual([1, 3])
  })

  it('is bounded: a huge range yields at most MAX_SELECT_ONLY indices, quickly', () => {
    const started = Date.now()
    const huge = parseSelectOnly(link('so=0-4294967295,9999999999'))
    expect(huge).toHaveLength(MAX_SELECT_ONLY)
    expect(huge?.[0]).toBe(0)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('does not change what parseTorrentLink accepts', () => {
    expect(parseTorrentLink(link('so=0-2')).infoHash).toBe(HEX)
  })
})
