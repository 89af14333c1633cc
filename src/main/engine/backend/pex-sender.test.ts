import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import type { Torrent, Wire } from 'webtorrent'
import { PEX_FLAG } from './pex-message'
import { PexSender, advertiseListenPort } from './pex-sender'

interface FakeWire {
  type: string
  remoteAddress: string
  remotePort: number
  peerId: string
  destroyed: boolean
  isSeeder?: boolean
  _encryptionMethod?: number
  extendedHandshake: Record<string, unknown>
  peerExtendedHandshake: Record<string, unknown>
  peerExtendedMapping: Record<string, number>
  peerPieces: { get(i: number): boolean }
  sent: Array<Record<string, Buffer>>
  extended(ext: string, obj: Record<string, Buffer>): void
}

let nextId = 0
function wire(
  type: string,
  address: string,
  port: number,
  extra: Partial<FakeWire> = {},
): FakeWire {
  const w: FakeWire = {
    type,
    remoteAddress: address,
    remotePort: port,
    peerId: `peer${nextId++}`,
    destroyed: false,
    extendedHandshake: {},
    peerExtendedHandshake: {},
    peerExtendedMapping: { ut_pex: 1 },
    peerPieces: { get: () => false },
    sent: [],
    extended(ext, obj) {
      expect(ext).toBe('ut_pex')
      this.sent.push(obj)
    },
    ...extra,
  }
  return w
}

function torrent(wires: FakeWire[]) {
  return Object.assign(new EventEmitter(), {
    destroyed: false,
    private: false as boolean | undefined,
    pieces: [1, 2],
    wires,
  })
}

/** Peers in a compact list as ip:port. */
function endpoints(list: Buffer | undefined, size = 6): string[] {
  const out: string[] = []
  for (let i = 0; list && i < list.length; i += size) {
    const addr = list.subarray(i, i + size - 2)
    const ip = size === 6 ? [...addr].join('.') : addr.toString('hex')
    out.push(`${ip}:${list.readUInt16BE(i + size - 2)}`)
  }
  return out
}

const senders: PexSender[] = []
function sender(t: ReturnType<typeof torrent>, clock: { now: number }, intervalMs = 60_000) {
  const s = new PexSender(t as unknown as Torrent, intervalMs, () => clock.now)
  senders.push(s)
  return s
}

afterEach(() => {
  for (const s of senders.splice(0)) s.stop()
})

describe('PEX sender', () => {
  it('tells each peer about the others by their listen addresses, with BEP 11 flags', () => {
    const seed = wire('tcpOutgoing', '127.0.0.1', 7001, { isSeeder: true })
    const utpEnc = wire('utpOutgoing', '127.0.0.1', 7002, {
      _encryptionMethod: 2,
      peerExtendedMapping: { ut_pex: 1, ut_holepunch: 4 },
    })
    const incoming = wire('tcpIncoming', '::ffff:127.0.0.1', 50123, {
      peerExtendedHandshake: { p: 7003, e: 1 },
    })
    const anonymous = wire('tcpIncoming', '127.0.0.1', 50124)
    const webSeed = wire('webSeed', '127.0.0.1', 80)
    const t = torrent([seed, utpEnc, incoming, anonymous, webSeed])
    sender(t, { now: 0 }).tick()

    expect(endpoints(anonymous.sent[0]?.added)).toEqual([
      '127.0.0.1:7001',
      '127.0.0.1:7002',
      '127.0.0.1:7003',
    ])
    expect([...anonymous.sent[0]!['added.f']!]).toEqual([
      PEX_FLAG.seed | PEX_FLAG.reachable,
      PEX_FLAG.utp | PEX_FLAG.encryption | PEX_FLAG.holepunch | PEX_FLAG.reachable,
      PEX_FLAG.encryption,
    ])
    // Known only by an ephemeral port, the anonymous peer is in nobody's list; a peer never gets itself.
    expect(endpoints(seed.sent[0]?.added)).toEqual(['127.0.0.1:7002', '127.0.0.1:7003'])
    expect(endpoints(incoming.sent[0]?.added)).toEqual(['127.0.0.1:7001', '127.0.0.1:7002'])
    expect(webSeed.sent).toEqual([])
  })

  it('never sends a peer its own address, also when it is known by another connection', () => {
    const a = wire('tcpIncoming', '127.0.0.1', 50000, { peerExtendedHandshake: { p: 7001 } })
    const aAgain = wire('tcpOutgoing', '127.0.0.1', 7001)
    const b = wire('tcpOutgoing', '127.0.0.1', 7002)
    sender(torrent([a, aAgain, b]), { now: 0 }).tick()
    expect(endpoints(a.sent[0]?.added)).toEqual(['127.0.0.1:7002'])
  })

  it('sends IPv6 peers in added6 and no local address to a remote peer', () => {
    const v6 = wire('tcpOutgoing', '2001:db8::7', 7001)
    const lan = wire('tcpOutgoing', '192.168.1.7', 7002)
    const remote = wire('tcpOutgoing', '192.0.2.9', 7003)
    sender(torrent([v6, lan, remote]), { now: 0 }).tick()
    const msg = remote.sent[0]!
    expect(endpoints(msg.added6, 18)).toEqual(['20010db8000000000000000000000007:7001'])
    expect([...msg['added6.f']!]).toEqual([PEX_FLAG.reachable])
    expect(endpoints(msg.added)).toEqual([])
  })

  it('sends at most one message an interval, the first as soon as there is someone to tell of', () => {
    const clock = { now: 0 }
    const a = wire('tcpOutgoing', '127.0.0.1', 7001)
    const t = torrent([a])
    const s = sender(t, clock, 1000)
    s.tick()
    expect(a.sent).toEqual([])

    const b = wire('tcpOutgoing', '127.0.0.1', 7002)
    t.wires.push(b)
    clock.now = 10
    s.tick()
    expect(endpoints(a.sent[0]?.added)).toEqual(['127.0.0.1:7002'])

    const c = wire('tcpOutgoing', '127.0.0.1', 7003)
    t.wires.push(c)
    t.wires.splice(t.wires.indexOf(b), 1)
    clock.now = 900
    s.tick()
    expect(a.sent).toHaveLength(1)

    clock.now = 1010
    s.tick()
    expect(a.sent).toHaveLength(2)
    expect(endpoints(a.sent[1]?.added)).toEqual(['127.0.0.1:7003'])
    expect(endpoints(a.sent[1]?.dropped)).toEqual(['127.0.0.1:7002'])

    clock.now = 5000
    s.tick()
    expect(a.sent).toHaveLength(2)
  })

  it('sends nothing for a private torrent, nor before a magnet shows whether it is one', () => {
    for (const isPrivate of [true, undefined]) {
      const a = wire('tcpOutgoing', '127.0.0.1', 7001)
      const b = wire('tcpOutgoing', '127.0.0.1', 7002)
      const t = torrent([a, b])
      t.private = isPrivate
      sender(t, { now: 0 }).tick()
      expect([...a.sent, ...b.sent], `private: ${isPrivate}`).toEqual([])
    }
  })

  it('sends nothing to a peer that does not speak ut_pex', () => {
    const a = wire('tcpOutgoing', '127.0.0.1', 7001, { peerExtendedMapping: {} })
    const b = wire('tcpOutgoing', '127.0.0.1', 7002)
    sender(torrent([a, b]), { now: 0 }).tick()
    expect(a.sent).toEqual([])
    expect(b.sent).toHaveLength(1)
  })

  it('puts our listen port in the extended handshake', () => {
    const w = wire('tcpIncoming', '127.0.0.1', 50000)
    advertiseListenPort(w as unknown as Wire, 6881)
    expect(w.extendedHandshake.p).toBe(6881)
    const unknown = wire('tcpIncoming', '127.0.0.1', 50000)
    advertiseListenPort(unknown as unknown as Wire, undefined)
    expect(unknown.extendedHandshake).toEqual({})
  })
})
