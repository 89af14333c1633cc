import { describe, expect, it } from 'vitest'
import type { CompactPeer, PexPeer } from './pex-message'
import {
  PEX_FLAG,
  PEX_MAX_ADDED,
  PEX_MAX_DROPPED,
  applyDelta,
  compactPeer,
  encodePexMessage,
  pexDelta,
} from './pex-message'

function peer(address: string, port: number, flags = 0): CompactPeer {
  const p = compactPeer({ address, port, flags } satisfies PexPeer)
  if (!p) throw new Error(`not a peer: ${address}:${port}`)
  return p
}

const PUBLIC = { own: new Set<string>(), local: false }
const LOCAL = { own: new Set<string>(), local: true }

describe('compact peers', () => {
  it('encodes IPv4 in 6 bytes and IPv6 in 18, whatever way the address is written', () => {
    expect(peer('192.0.2.7', 6881).compact).toEqual(Buffer.from([192, 0, 2, 7, 0x1a, 0xe1]))
    const v6 = peer('2001:db8::1', 443).compact
    expect(v6).toHaveLength(18)
    expect(v6.toString('hex')).toBe('20010db800000000000000000000000101bb')
    expect(peer('2001:0db8:0:0:0:0:0:1', 443).key).toBe(peer('2001:db8::1', 443).key)
    expect(peer('::ffff:192.0.2.7', 6881).compact).toHaveLength(6)
    expect(peer('64:ff9b::192.0.2.7', 1).compact.toString('hex')).toBe(
      '0064ff9b0000000000000000c00002070001',
    )
  })

  it('refuses what no peer could dial', () => {
    for (const [address, port] of [
      ['example.org', 6881],
      ['0.0.0.0', 6881],
      ['::', 6881],
      ['fe80::1%eth0', 6881],
      ['192.0.2.7', 0],
      ['192.0.2.7', 65536],
      ['192.0.2.7', 1.5],
    ] as const) {
      expect(compactPeer({ address, port, flags: 0 }), `${address}:${port}`).toBeNull()
    }
  })

  it('knows loopback, private and link-local addresses as local', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.0.9',
      '::1',
      'fd00::1',
      'fe80::1',
    ]) {
      expect(peer(a, 1).local, a).toBe(true)
    }
    for (const a of ['192.0.2.7', '172.32.0.1', '2001:db8::1'])
      expect(peer(a, 1).local, a).toBe(false)
  })
})

describe('what a recipient is told', () => {
  it('adds the peers it was not told of, then drops the ones that left', () => {
    const told = new Map<string, CompactPeer>()
    const a = peer('192.0.2.1', 1001)
    const b = peer('192.0.2.2', 1002)
    const c = peer('2001:db8::3', 1003)

    const first = pexDelta(told, [a, b], PUBLIC)
    expect(first.added).toEqual([a, b])
    expect(first.dropped).toEqual([])
    applyDelta(told, first)

    expect(pexDelta(told, [a, b], PUBLIC)).toEqual({ added: [], dropped: [] })

    const second = pexDelta(told, [b, c], PUBLIC)
    expect(second.added).toEqual([c])
    expect(second.dropped).toEqual([a])
    applyDelta(told, second)
    expect([...told.values()]).toEqual([b, c])
  })

  it('never tells a peer its own address, and sends a duplicate once', () => {
    const self = peer('192.0.2.9', 51413)
    const other = peer('192.0.2.1', 1001)
    const delta = pexDelta(new Map(), [self, other, other], {
      own: new Set([self.key]),
      local: false,
    })
    expect(delta.added).toEqual([other])
  })

  it('tells local addresses only to a local recipient', () => {
    const lan = peer('192.168.1.5', 6881)
    const loop = peer('127.0.0.1', 6881)
    const wan = peer('192.0.2.1', 6881)
    expect(pexDelta(new Map(), [lan, loop, wan], PUBLIC).added).toEqual([wan])
    expect(pexDelta(new Map(), [lan, loop, wan], LOCAL).added).toEqual([lan, loop, wan])
  })

  it('bounds both lists; the rest goes in the next message', () => {
    const many = Array.from({ length: 250 }, (_, i) => peer(`198.51.${i >> 8}.${i & 0xff}`, 6881))
    const told = new Map<string, CompactPeer>()
    const first = pexDelta(told, many, PUBLIC)
    expect(first.added).toHaveLength(PEX_MAX_ADDED)
    applyDelta(told, first)
    const second = pexDelta(told, many, PUBLIC)
    expect(second.added).toEqual(many.slice(PEX_MAX_ADDED, 2 * PEX_MAX_ADDED))
    applyDelta(told, second)
    expect(told.size).toBe(2 * PEX_MAX_ADDED)

    const gone = pexDelta(told, [], PUBLIC)
    expect(gone.added).toEqual([])
    expect(gone.dropped).toHaveLength(PEX_MAX_DROPPED)
  })
})

describe('the ut_pex dictionary', () => {
  it('puts IPv4 and IPv6 peers in their own lists, with one flag byte per added peer', () => {
    const seed = peer('192.0.2.1', 1001, PEX_FLAG.seed | PEX_FLAG.reachable)
    const utp = peer('192.0.2.2', 1002, PEX_FLAG.utp | PEX_FLAG.encryption)
    const six = peer('2001:db8::3', 1003, PEX_FLAG.holepunch)
    const gone4 = peer('192.0.2.4', 1004)
    const gone6 = peer('2001:db8::5', 1005)
    const msg = encodePexMessage({ added: [seed, six, utp], dropped: [gone6, gone4] })
    expect(msg.added).toEqual(Buffer.concat([seed.compact, utp.compact]))
    expect([...msg['added.f']!]).toEqual([0x12, 0x05])
    expect(msg.added6).toEqual(six.compact)
    expect([...msg['added6.f']!]).toEqual([0x08])
    expect(msg.dropped).toEqual(gone4.compact)
    expect(msg.dropped6).toEqual(gone6.compact)
  })
})
