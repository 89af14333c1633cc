/**
 * BEP 11 peer exchange, the sending half as data: which peers a ut_pex message adds and drops for one
 * recipient, given what it was told before, and the message's bencodable dictionary. No sockets and no
 * webtorrent here (pex-sender.ts reads the wires and sends).
 */
import net from 'node:net'

/** The `added.f` bits (BEP 11). */
export const PEX_FLAG = {
  /** The peer prefers encryption (its extended handshake's `e`, or it spoke MSE/PE with us). */
  encryption: 0x01,
  /** Seed or upload-only. */
  seed: 0x02,
  utp: 0x04,
  holepunch: 0x08,
  /** We connected to it, so it accepts connections at this address. */
  reachable: 0x10,
} as const

/**
 * libtorrent sends at most 100 added peers a message (ut_pex.cpp, max_peer_entries) and Seedling's
 * receiving side refuses a longer added list and reads at most 100 dropped ones: the rest wait for the
 * next message.
 */
export const PEX_MAX_ADDED = 100
export const PEX_MAX_DROPPED = 100

/** A peer as another peer can dial it: its listen address, never an ephemeral incoming port. */
export interface PexPeer {
  address: string
  port: number
  flags: number
}

/** A peer in compact form (BEP 23: 4 or 16 address bytes, then the port), keyed for comparison. */
export interface CompactPeer extends PexPeer {
  /** Hex of the compact bytes: one key whatever way the IPv6 address was written. */
  key: string
  compact: Buffer
  local: boolean
}

export interface PexDelta {
  added: CompactPeer[]
  dropped: CompactPeer[]
}

/**
 * Loopback, private and link-local ranges: such an address is only meaningful to a peer on the same
 * host or network. libtorrent ignores a local address from a peer that is not local itself, so one is
 * only sent to a local recipient.
 */
const LOCAL = new net.BlockList()
for (const [prefix, bits] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16],
] as const) {
  LOCAL.addSubnet(prefix, bits, 'ipv4')
}
LOCAL.addAddress('::1', 'ipv6')
LOCAL.addSubnet('fc00::', 7, 'ipv6')
LOCAL.addSubnet('fe80::', 10, 'ipv6')

const V4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number)
}

/** The 16 bytes of a valid IPv6 address in text form (`::` and a dotted IPv4 tail allowed). */
function ipv6Bytes(address: string): number[] {
  let text = address
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text)
  if (tail) {
    const [a, b, c, d] = ipv4Bytes(tail[1]!)
    text = `${text.slice(0, tail.index)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`
  }
  const [left, right] = text.split('::') as [string, string | undefined]
  const head = left ? left.split(':') : []
  const rest = right ? right.split(':') : []
  const groups =
    right === undefined
      ? head
      : [...head, ...Array<string>(8 - head.length - rest.length).fill('0'), ...rest]
  return groups.flatMap((g) => {
    const n = parseInt(g, 16)
    return [n >> 8, n & 0xff]
  })
}

/**
 * The compact form of a dialable endpoint, or null: not an IP address (a hostname, a zone-scoped IPv6
 * address), the unspecified address, or a port outside 1..65535. An IPv4-mapped IPv6 address (how an
 * IPv4 peer shows on a dual-stack socket) is IPv4.
 */
export function compactPeer(peer: PexPeer): CompactPeer | null {
  const address = V4_MAPPED.exec(peer.address)?.[1] ?? peer.address
  const family = address.includes('%') ? 0 : net.isIP(address)
  if (family === 0 || !Number.isInteger(peer.port) || peer.port < 1 || peer.port > 65535)
    return null
  const bytes = family === 4 ? ipv4Bytes(address) : ipv6Bytes(address)
  if (bytes.every((b) => b === 0)) return null
  const compact = Buffer.from([...bytes, peer.port >> 8, peer.port & 0xff])
  return {
    address,
    port: peer.port,
    flags: peer.flags & 0xff,
    key: compact.toString('hex'),
    compact,
    local: LOCAL.check(address, family === 4 ? 'ipv4' : 'ipv6'),
  }
}

export interface Recipient {
  /** Every endpoint the recipient is known by (its socket's and its listen address): never sent back. */
  own: ReadonlySet<string>
  local: boolean
}

/**
 * What to tell a recipient now: peers it was not told of yet (in the order given, at most
 * PEX_MAX_ADDED) and peers it was told of that are gone (at most PEX_MAX_DROPPED). Its own endpoints
 * are never added, local addresses only to a local recipient.
 */
export function pexDelta(
  told: ReadonlyMap<string, CompactPeer>,
  current: readonly CompactPeer[],
  recipient: Recipient,
): PexDelta {
  const eligible = new Map<string, CompactPeer>()
  for (const peer of current) {
    if (recipient.own.has(peer.key) || (peer.local && !recipient.local)) continue
    if (!eligible.has(peer.key)) eligible.set(peer.key, peer)
  }
  const added = [...eligible.values()].filter((p) => !told.has(p.key)).slice(0, PEX_MAX_ADDED)
  const dropped = [...told.values()].filter((p) => !eligible.has(p.key)).slice(0, PEX_MAX_DROPPED)
  return { added, dropped }
}

/** Records a sent delta in what the recipient was told. */
export function applyDelta(told: Map<string, CompactPeer>, delta: PexDelta): void {
  for (const peer of delta.dropped) told.delete(peer.key)
  for (const peer of delta.added) told.set(peer.key, peer)
}

/** The ut_pex dictionary: IPv4 peers in `added`/`dropped`, IPv6 in `added6`/`dropped6`, one flag byte each. */
export function encodePexMessage(delta: PexDelta): Record<string, Buffer> {
  const v4 = (p: CompactPeer): boolean => p.compact.length === 6
  const v6 = (p: CompactPeer): boolean => p.compact.length === 18
  const join = (peers: CompactPeer[]): Buffer => Buffer.concat(peers.map((p) => p.compact))
  const flags = (peers: CompactPeer[]): Buffer => Buffer.from(peers.map((p) => p.flags))
  const added4 = delta.added.filter(v4)
  const added6 = delta.added.filter(v6)
  return {
    added: join(added4),
    'added.f': flags(added4),
    dropped: join(delta.dropped.filter(v4)),
    added6: join(added6),
    'added6.f': flags(added6),
    dropped6: join(delta.dropped.filter(v6)),
  }
}
