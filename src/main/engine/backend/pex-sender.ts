/**
 * Sends BEP 11 peer exchange on a webtorrent torrent. webtorrent registers ut_pex on each wire and
 * takes the peers others send, but never feeds ut_pex our own peers nor starts its timer, so Seedling
 * sent no PEX at all: a peer that knew only us never met the others. This tells every connected peer
 * about our other connected peers, at most once an interval.
 *
 * When: a recipient gets its first message at the first tick (at most a second) after its extended
 * handshake at which there is someone to tell it about, as libtorrent does: a peer that just joined needs
 * peers most, and waiting a minute buys nothing. After that, at most one message an interval (a minute),
 * and only when something was added or dropped.
 */
import type { Torrent, Wire } from 'webtorrent'
import type { CompactPeer } from './pex-message'
import { PEX_FLAG, applyDelta, compactPeer, encodePexMessage, pexDelta } from './pex-message'
import { isSeeder } from './webtorrent-map'

/** BEP 11: no more than one message a minute to a peer. */
export const PEX_INTERVAL_MS = 60_000

interface RecipientState {
  told: Map<string, CompactPeer>
  lastSent: number
}

/** BitTorrent connections; web seeds and WebRTC peers have no address another peer could dial. */
const DIALABLE_TYPES = new Set(['tcpIncoming', 'tcpOutgoing', 'utpIncoming', 'utpOutgoing'])

const outgoing = (wire: Wire): boolean => wire.type.endsWith('Outgoing')

/** The port another peer can dial: the one we dialled, or the one an incoming peer announced (`p`). */
function listenPort(wire: Wire): number | undefined {
  if (outgoing(wire)) return wire.remotePort
  const p = wire.peerExtendedHandshake?.p
  return typeof p === 'number' ? p : undefined
}

/** The wire as a PEX entry, or null when it has no address others could dial. */
export function pexPeerOf(wire: Wire, pieceCount: number): CompactPeer | null {
  if (wire.destroyed || !DIALABLE_TYPES.has(wire.type)) return null
  const port = listenPort(wire)
  if (!wire.remoteAddress || port === undefined) return null
  let flags = 0
  if (wire.peerExtendedHandshake?.e === 1 || wire._encryptionMethod === 2)
    flags |= PEX_FLAG.encryption
  if (wire.isSeeder || isSeeder(wire, pieceCount)) flags |= PEX_FLAG.seed
  if (wire.type.startsWith('utp')) flags |= PEX_FLAG.utp
  if (wire.peerExtendedMapping?.ut_holepunch) flags |= PEX_FLAG.holepunch
  if (outgoing(wire)) flags |= PEX_FLAG.reachable
  return compactPeer({ address: wire.remoteAddress, port, flags })
}

/** Every endpoint a wire's peer is known by, as compact keys. */
function ownKeys(wire: Wire): Set<string> {
  const keys = new Set<string>()
  for (const port of [wire.remotePort, listenPort(wire)]) {
    const peer =
      port === undefined ? null : compactPeer({ address: wire.remoteAddress ?? '', port, flags: 0 })
    if (peer) keys.add(peer.key)
  }
  return keys
}

export class PexSender {
  private readonly recipients = new WeakMap<Wire, RecipientState>()
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly wt: Torrent,
    private readonly intervalMs = PEX_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.timer = setInterval(() => this.tick(), Math.min(intervalMs, 1000))
    this.timer.unref()
    wt.once('close', () => this.stop())
  }

  stop(): void {
    clearInterval(this.timer)
  }

  /** Sends what is due; a message is never sent for a private torrent (BEP 27) or before it is known. */
  tick(): void {
    const { wt } = this
    if (wt.destroyed) return this.stop()
    if (wt.private !== false) return
    const pieceCount = wt.pieces.length
    const peers = wt.wires.map((wire) => ({ wire, peer: pexPeerOf(wire, pieceCount) }))
    const now = this.now()
    for (const wire of wt.wires) {
      if (wire.destroyed || !DIALABLE_TYPES.has(wire.type) || !wire.peerExtendedMapping?.ut_pex)
        continue
      let state = this.recipients.get(wire)
      if (state && now - state.lastSent < this.intervalMs) continue
      state ??= { told: new Map(), lastSent: -Infinity }
      const own = ownKeys(wire)
      const current = peers
        .filter((p) => p.wire !== wire && !(wire.peerId && p.wire.peerId === wire.peerId))
        .flatMap((p) => (p.peer ? [p.peer] : []))
      const recipient = compactPeer({ address: wire.remoteAddress ?? '', port: 1, flags: 0 })
      const delta = pexDelta(state.told, current, { own, local: recipient?.local ?? false })
      this.recipients.set(wire, state)
      if (delta.added.length === 0 && delta.dropped.length === 0) continue
      wire.extended('ut_pex', encodePexMessage(delta))
      applyDelta(state.told, delta)
      state.lastSent = now
    }
  }
}

/**
 * Our listen port in the extended handshake (BEP 10 `p`): a peer that we dialled sees only an ephemeral
 * port, and without `p` it cannot pass our address on (libtorrent sends only peers it dialled or that
 * announced `p`).
 */
export function advertiseListenPort(wire: Wire, port: number | undefined): void {
  if (port && port > 0 && port <= 65535) wire.extendedHandshake.p = port
}
