/**
 * A catalogue of hostile BitTorrent peers for tests: each scenario connects a raw peer
 * (test/integration/helpers/raw-peer.ts) to 127.0.0.1, completes a plaintext handshake and then
 * sends one kind of malformed or abusive traffic found against Seedling (issue 7). A correct
 * engine drops that connection only and keeps working.
 */
import { MSG, RawPeer, msg } from '../integration/helpers/raw-peer'

export interface HostileTarget {
  port: number
  infoHash: string
  /** Piece count of the torrent, when the scenario needs it (bitfield scenarios). */
  pieceCount?: number
}

export interface HostileScenario {
  name: string
  /** What the peer does, for test names and reports. */
  does: string
  /** The engine must know the torrent's metadata (false: it fetches it by magnet from this peer). */
  needsMetadata: boolean
  run(peer: RawPeer, target: HostileTarget): Promise<void>
}

const BLOCK = 16 * 1024

/** The extended id the engine gave `name` in its extended handshake (waits for it, bounded). */
async function engineExtensionId(peer: RawPeer, name: string): Promise<number> {
  const hs = await peer.waitFor(
    'extended handshake',
    () => peer.received.find((m) => m.id === MSG.extended && m.payload[0] === 0),
    10_000,
  )
  const found = new RegExp(`${name.length}:${name}i(\\d+)e`).exec(hs.payload.toString('latin1'))
  if (!found) throw new Error(`hostile peer: the engine does not offer ${name}`)
  return Number(found[1])
}

function handshake(peer: RawPeer, t: HostileTarget, fast = false): Buffer {
  return peer.handshakeBytes(t.infoHash, { extended: true, fast })
}

function utMetadataData(id: number, piece: number, totalSize: number | null, data: Buffer): Buffer {
  const total = totalSize === null ? '' : `10:total_sizei${totalSize}e`
  return msg.extended(
    id,
    Buffer.concat([Buffer.from(`d8:msg_typei1e5:piecei${piece}e${total}e`), data]),
  )
}

export const hostileScenarios: HostileScenario[] = [
  {
    name: 'bad extended handshake',
    does: 'sends an extended handshake whose `m` maps ut_metadata to a dictionary',
    needsMetadata: true,
    async run(peer, t) {
      peer.send(
        handshake(peer, t),
        msg.extended(0, 'd1:md11:ut_metadatad1:xi1ee6:ut_pexle1:pi1eee'),
      )
    },
  },
  {
    name: 'extended handshake with a __proto__ mapping',
    does: 'sends `m` with a __proto__ dictionary and an id of 300',
    needsMetadata: true,
    async run(peer, t) {
      peer.send(
        handshake(peer, t),
        msg.extended(0, 'd1:md9:__proto__d11:ut_metadatai1ee6:ut_pexi300eee'),
      )
    },
  },
  {
    name: 'ut_metadata data before a size',
    does: 'announces ut_metadata without metadata_size, then sends a metadata piece',
    needsMetadata: false,
    async run(peer, t) {
      peer.send(handshake(peer, t), msg.extended(0, 'd1:md11:ut_metadatai3eee'))
      const id = await engineExtensionId(peer, 'ut_metadata')
      peer.send(utMetadataData(id, 0, null, Buffer.alloc(BLOCK)))
    },
  },
  {
    name: 'ut_metadata piece out of range',
    does: 'announces a 100-byte info dictionary, then sends piece 1,000,000 of it',
    needsMetadata: false,
    async run(peer, t) {
      peer.send(
        handshake(peer, t),
        msg.extended(0, 'd1:md11:ut_metadatai3ee13:metadata_sizei100ee'),
      )
      const id = await engineExtensionId(peer, 'ut_metadata')
      peer.send(utMetadataData(id, 1_000_000, 100, Buffer.alloc(100)))
    },
  },
  {
    name: 'HAVE 2^31-1',
    does: 'sends a have for piece 2,147,483,647',
    needsMetadata: true,
    async run(peer, t) {
      peer.send(handshake(peer, t), msg.ints(MSG.have, 0x7fffffff))
    },
  },
  {
    name: 'HAVE tens of millions',
    does: 'sends a have for piece 40,000,000',
    needsMetadata: true,
    async run(peer, t) {
      peer.send(handshake(peer, t), msg.ints(MSG.have, 40_000_000))
    },
  },
  {
    name: 'bitfield of the wrong length',
    does: 'sends a bitfield 8 bytes longer than the piece count needs',
    needsMetadata: true,
    async run(peer, t) {
      const bytes = Math.ceil((t.pieceCount ?? 8) / 8) + 8
      peer.send(handshake(peer, t), msg.raw(MSG.bitfield, Buffer.alloc(bytes, 0xff)))
    },
  },
  {
    name: 'bitfield with spare bits set',
    does: 'sends a bitfield of the right length whose bits past the last piece are set',
    needsMetadata: true,
    async run(peer, t) {
      const count = t.pieceCount ?? 7
      if (count % 8 === 0)
        throw new Error('hostile peer: needs a piece count that is not a multiple of 8')
      peer.send(handshake(peer, t), msg.raw(MSG.bitfield, Buffer.alloc(Math.ceil(count / 8), 0xff)))
    },
  },
  {
    name: 'truncated have',
    does: 'sends a have message 2 bytes long',
    needsMetadata: true,
    async run(peer, t) {
      peer.send(handshake(peer, t), msg.raw(MSG.have, Buffer.from([0, 1])))
    },
  },
  {
    name: 'request out of range',
    does: 'asks for piece 2^32-1 and for 1 MiB at once',
    needsMetadata: true,
    async run(peer, t) {
      peer.send(
        handshake(peer, t, true),
        msg.raw(MSG.interested),
        msg.ints(MSG.request, 0, 0, 1024 * 1024),
        msg.ints(MSG.request, 0xffffffff, 0, BLOCK),
      )
    },
  },
]

/**
 * A leecher that never reads: once unchoked it stops reading its socket and sends `batches` batches
 * of `perBatch` requests, `intervalMs` apart (every block of the torrent in turn, over and over), so
 * whatever the engine answers piles up on the engine's side. Resolves with the peer once all are sent
 * or its connection was closed.
 */
export async function requestFloodNeverReading(
  target: HostileTarget & { pieceCount: number; pieceLength: number; size: number },
  opts: { batches: number; perBatch: number; intervalMs: number },
): Promise<RawPeer> {
  const peer = await RawPeer.connect(target.port)
  peer.send(handshake(peer, target, true), msg.raw(MSG.interested))
  await peer.waitFor('unchoke', () => peer.received.some((m) => m.id === MSG.unchoke), 10_000)
  peer.socket.pause()
  const blocks: Buffer[] = []
  for (let piece = 0; piece < target.pieceCount; piece++) {
    const pieceSize = Math.min(target.pieceLength, target.size - piece * target.pieceLength)
    for (let begin = 0; begin < pieceSize; begin += BLOCK) {
      blocks.push(msg.ints(MSG.request, piece, begin, Math.min(BLOCK, pieceSize - begin)))
    }
  }
  let next = 0
  for (let b = 0; b < opts.batches && peer.open; b++) {
    const batch: Buffer[] = []
    for (let i = 0; i < opts.perBatch; i++) batch.push(blocks[next++ % blocks.length]!)
    peer.send(...batch)
    await new Promise((r) => setTimeout(r, opts.intervalMs))
  }
  return peer
}

/** Connects and plays one scenario; the peer is returned to watch its connection. */
export async function playHostile(
  scenario: HostileScenario,
  target: HostileTarget,
): Promise<RawPeer> {
  const peer = await RawPeer.connect(target.port)
  await scenario.run(peer, target)
  return peer
}
