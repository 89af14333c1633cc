/**
 * A bittorrent-protocol Wire as webtorrent drives it, for property tests: handshake done (Fast and
 * extended on), piece layout set, upload requests answered with zero blocks, errors collected.
 * The stack modules are untyped JavaScript, loaded by name at run time with the few members used.
 */
import { randomBytes } from 'node:crypto'

export interface FuzzWire {
  write(data: Uint8Array): void
  destroyed: boolean
  violation: string | null
  peerRequests: unknown[]
  peerPieces: { buffer: Uint8Array }
  peerExtendedMapping: Record<string, number>
  _bufferSize: number
  _readableState: { buffered: number }
  _write(data: Uint8Array, cb: (err?: Error | null) => void): void
  handshake(infoHash: string, peerId: string, ext: { fast: boolean }): void
  setPieceLayout(count: number, length: number, last: number): void
  use(ext: unknown): void
  on(event: string, listener: (...args: never[]) => void): void
  ut_metadata?: { onMessage(buf: Uint8Array): void; fetch(): void; metadata?: Uint8Array }
  ut_pex?: { onMessage(buf: Uint8Array): void; on(e: string, l: (...a: unknown[]) => void): void }
}

type WireCtor = new (type: string) => FuzzWire

async function load<T>(name: string): Promise<T> {
  return ((await import(/* @vite-ignore */ name)) as { default: T }).default
}

export const loadWire = () => load<WireCtor>('bittorrent-protocol')
export const loadUtMetadata = () => load<(metadata?: Uint8Array) => unknown>('ut_metadata')
export const loadUtPex = () => load<() => unknown>('ut_pex')

export const INFO_HASH = randomBytes(20).toString('hex')

export function frame(id: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(5)
  head.writeUInt32BE(payload.length + 1, 0)
  head[4] = id
  return Buffer.concat([head, payload])
}

/** The 68-byte handshake a peer with Fast and extended messages sends. */
export function peerHandshake(): Buffer {
  const reserved = Buffer.alloc(8)
  reserved[5] = 0x10
  reserved[7] = 0x04
  return Buffer.concat([
    Buffer.from([19]),
    Buffer.from('BitTorrent protocol'),
    reserved,
    Buffer.from(INFO_HASH, 'hex'),
    randomBytes(20),
  ])
}

/**
 * A wire past the handshake, like webtorrent's: `extensions` used first, requests answered with
 * blocks of zeros (or, with `slowStore`, never: a store that is late), the layout of a torrent of
 * `pieces` pieces of `pieceLength` set. Errors the wire emits while destroying itself are collected
 * in `errors` (webtorrent's Peer listens too).
 */
export async function openWire(
  opts: { pieces?: number; pieceLength?: number; extensions?: unknown[]; slowStore?: boolean } = {},
): Promise<{ wire: FuzzWire; errors: Error[] }> {
  const Wire = await loadWire()
  const wire = new Wire('tcpIncoming')
  const errors: Error[] = []
  wire.on('error', (err: Error) => void errors.push(err))
  for (const ext of opts.extensions ?? []) wire.use(ext)
  wire.on('request', ((
    _i: number,
    _o: number,
    length: number,
    cb: (e: null, b: Buffer) => void,
  ) => {
    if (!opts.slowStore) cb(null, Buffer.alloc(length))
  }) as never)
  wire._write(peerHandshake(), () => {})
  wire.handshake(INFO_HASH, randomBytes(20).toString('hex'), { fast: true })
  await new Promise<void>((resolve) => queueMicrotask(resolve))
  if (opts.pieces) {
    const length = opts.pieceLength ?? 32 * 1024
    wire.setPieceLayout(opts.pieces, length, length)
  }
  return { wire, errors }
}

/** Feeds bytes the way the socket does; returns what escaped, if anything. */
export function feed(wire: FuzzWire, data: Uint8Array): unknown {
  try {
    wire._write(data, () => {})
    return null
  } catch (err) {
    return err
  }
}
