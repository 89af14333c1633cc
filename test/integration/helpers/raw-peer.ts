/**
 * A scriptable BitTorrent peer on a raw TCP socket (127.0.0.1 only, plaintext), for checking that
 * Seedling copes with every legal order of messages real clients send. It frames messages both ways,
 * records what it receives, and can serve or fetch pieces of one torrent held in memory.
 */
import { createHash, randomBytes } from 'node:crypto'
import net from 'node:net'

export const MSG = {
  choke: 0,
  unchoke: 1,
  interested: 2,
  notInterested: 3,
  have: 4,
  bitfield: 5,
  request: 6,
  piece: 7,
  cancel: 8,
  port: 9,
  suggest: 0x0d,
  haveAll: 0x0e,
  haveNone: 0x0f,
  reject: 0x10,
  allowedFast: 0x11,
  extended: 20,
} as const

export const BLOCK = 16 * 1024

export interface Received {
  id: number
  payload: Buffer
}

/** Encoders for the wire messages (length-prefixed). */
export const msg = {
  keepAlive: (): Buffer => Buffer.alloc(4),
  raw(id: number, payload: Buffer = Buffer.alloc(0)): Buffer {
    const head = Buffer.alloc(5)
    head.writeUInt32BE(payload.length + 1, 0)
    head[4] = id
    return Buffer.concat([head, payload])
  },
  ints(id: number, ...values: number[]): Buffer {
    const payload = Buffer.alloc(4 * values.length)
    values.forEach((v, i) => payload.writeUInt32BE(v, 4 * i))
    return msg.raw(id, payload)
  },
  port(port: number): Buffer {
    const payload = Buffer.alloc(2)
    payload.writeUInt16BE(port, 0)
    return msg.raw(MSG.port, payload)
  },
  bitfield(pieceCount: number, has: (i: number) => boolean): Buffer {
    const bits = Buffer.alloc(Math.ceil(pieceCount / 8))
    for (let i = 0; i < pieceCount; i++) if (has(i)) bits[i >> 3]! |= 0x80 >> (i & 7)
    return msg.raw(MSG.bitfield, bits)
  },
  /** BEP 10 message; `ext` 0 is the extended handshake, `body` is already bencoded. */
  extended(ext: number, body: string | Buffer): Buffer {
    return msg.raw(MSG.extended, Buffer.concat([Buffer.from([ext]), Buffer.from(body)]))
  },
  /** A minimal extended handshake: ut_metadata under id 3, no metadata size. */
  extendedHandshake: (): Buffer => msg.extended(0, 'd1:md11:ut_metadatai3ee1:v7:rawpeere'),
}

export interface TorrentData {
  infoHash: string
  pieceLength: number
  /** The torrent's content, all files concatenated. */
  data: Buffer
}

export function pieceCount(t: TorrentData): number {
  return Math.ceil(t.data.length / t.pieceLength)
}

export function pieceOf(t: TorrentData, index: number): Buffer {
  return t.data.subarray(
    index * t.pieceLength,
    Math.min((index + 1) * t.pieceLength, t.data.length),
  )
}

export class RawPeer {
  readonly received: Received[] = []
  peerHandshake: { reserved: Buffer; infoHash: string; peerId: Buffer } | null = null
  closed = false
  private buf = Buffer.alloc(0)
  private waiters: Array<() => void> = []
  readonly peerId = Buffer.concat([Buffer.from('-RP0001-'), randomBytes(12)])

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('close', () => {
      this.closed = true
      this.wake()
    })
    socket.on('error', () => {})
  }

  /** Connects to 127.0.0.1:port. */
  static connect(port: number, timeoutMs = 5_000): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port })
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new Error(`raw peer: connect to ${port} timed out`))
      }, timeoutMs)
      socket.once('connect', () => {
        clearTimeout(timer)
        resolve(new RawPeer(socket))
      })
      socket.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
    })
  }

  /**
   * Listens on 127.0.0.1 (random port) as a plaintext-only peer: a connection that does not start
   * with a plaintext handshake (e.g. MSE/PE) is dropped at once and counted in `refused()`;
   * `accepted` resolves with the first connection that sent a plaintext handshake.
   */
  static async listen(): Promise<{
    port: number
    accepted: Promise<RawPeer>
    refused: () => number
    server: net.Server
  }> {
    const server = net.createServer()
    let refused = 0
    const accepted = new Promise<RawPeer>((resolve) => {
      server.on('connection', (socket) => {
        const p = new RawPeer(socket)
        p.waitHandshake(20_000).then(
          () => resolve(p),
          () => {
            refused++
            p.close()
          },
        )
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as net.AddressInfo).port
    return { port, accepted, refused: () => refused, server }
  }

  /** The 68-byte plaintext handshake; fast = BEP 6 bit, extended = BEP 10 bit, dht = BEP 5 bit. */
  handshakeBytes(infoHash: string, opts: { fast?: boolean; extended?: boolean; dht?: boolean }) {
    const reserved = Buffer.alloc(8)
    if (opts.extended) reserved[5]! |= 0x10
    if (opts.fast) reserved[7]! |= 0x04
    if (opts.dht) reserved[7]! |= 0x01
    return Buffer.concat([
      Buffer.from([19]),
      Buffer.from('BitTorrent protocol'),
      reserved,
      Buffer.from(infoHash, 'hex'),
      this.peerId,
    ])
  }

  /** Writes all the buffers in a single write (so they arrive in one read). */
  send(...parts: Buffer[]): void {
    if (!this.closed) this.socket.write(Buffer.concat(parts))
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk])
    for (;;) {
      if (!this.peerHandshake) {
        if (this.buf.length < 68) break
        if (this.buf[0] !== 19 || this.buf.subarray(1, 20).toString() !== 'BitTorrent protocol') {
          this.socket.destroy()
          break
        }
        this.peerHandshake = {
          reserved: Buffer.from(this.buf.subarray(20, 28)),
          infoHash: this.buf.subarray(28, 48).toString('hex'),
          peerId: Buffer.from(this.buf.subarray(48, 68)),
        }
        this.buf = this.buf.subarray(68)
        continue
      }
      if (this.buf.length < 4) break
      const len = this.buf.readUInt32BE(0)
      if (this.buf.length < 4 + len) break
      if (len > 0) {
        this.received.push({
          id: this.buf[4]!,
          payload: Buffer.from(this.buf.subarray(5, 4 + len)),
        })
      }
      this.buf = this.buf.subarray(4 + len)
    }
    this.wake()
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w()
  }

  /** Waits (bounded) until `pred` returns a value; rejects if the socket closes first. */
  async waitFor<T>(
    what: string,
    pred: () => T | undefined | false,
    timeoutMs = 15_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = pred()
      if (value) return value
      if (this.closed) throw new Error(`raw peer: connection closed while waiting for ${what}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`raw peer: timed out waiting for ${what}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250))
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  waitHandshake(timeoutMs?: number) {
    return this.waitFor('handshake', () => this.peerHandshake ?? undefined, timeoutMs)
  }

  /** Waits for a message with that id received after index `from` of `received`. */
  waitMessage(id: number, from = 0, timeoutMs?: number): Promise<Received> {
    return this.waitFor(
      `message ${id}`,
      () => this.received.slice(from).find((m) => m.id === id),
      timeoutMs,
    )
  }

  /** True while the socket is open. */
  get open(): boolean {
    return !this.closed
  }

  /**
   * Acts as a seeder from now on: answers every request with the block (or, for the requests in
   * `rejectFirst`, once with reject_request), and unchokes when the peer becomes interested unless
   * `unchoked` says it already did.
   */
  serve(t: TorrentData, opts: { rejectFirst?: number; alreadyUnchoked?: boolean } = {}): void {
    let seen = 0
    let rejects = opts.rejectFirst ?? 0
    let unchoked = opts.alreadyUnchoked ?? false
    const step = () => {
      for (; seen < this.received.length; seen++) {
        const m = this.received[seen]!
        if (m.id === MSG.interested && !unchoked) {
          unchoked = true
          this.send(msg.raw(MSG.unchoke))
        } else if (m.id === MSG.request) {
          const index = m.payload.readUInt32BE(0)
          const begin = m.payload.readUInt32BE(4)
          const length = m.payload.readUInt32BE(8)
          if (rejects > 0) {
            rejects--
            this.send(msg.ints(MSG.reject, index, begin, length))
            continue
          }
          const block = pieceOf(t, index).subarray(begin, begin + length)
          const head = Buffer.alloc(8)
          head.writeUInt32BE(index, 0)
          head.writeUInt32BE(begin, 4)
          this.send(msg.raw(MSG.piece, Buffer.concat([head, block])), msg.keepAlive())
        }
      }
    }
    this.socket.on('data', () => queueMicrotask(step))
    step()
  }

  /**
   * Acts as a leecher: once unchoked, requests every block of every piece (16 KiB, a few at a time)
   * and resolves with the pieces, each checked against its SHA-1 in `hashes` (hex).
   */
  async fetchAll(t: TorrentData, hashes: string[], timeoutMs = 30_000): Promise<Buffer> {
    await this.waitFor('unchoke', () => this.received.some((m) => m.id === MSG.unchoke), timeoutMs)
    const out = Buffer.alloc(t.data.length)
    const blocks: Array<[number, number, number]> = []
    for (let i = 0; i < pieceCount(t); i++) {
      const plen = pieceOf(t, i).length
      for (let b = 0; b < plen; b += BLOCK) blocks.push([i, b, Math.min(BLOCK, plen - b)])
    }
    let got = 0
    const pending = new Set<string>()
    let next = 0
    let seen = 0
    const deadline = Date.now() + timeoutMs
    while (got < blocks.length) {
      while (pending.size < 4 && next < blocks.length) {
        const [i, b, l] = blocks[next++]!
        pending.add(`${i}:${b}`)
        this.send(msg.ints(MSG.request, i, b, l), msg.keepAlive())
      }
      await this.waitFor(
        'piece',
        () => this.received.length > seen,
        Math.max(1, deadline - Date.now()),
      )
      for (; seen < this.received.length; seen++) {
        const m = this.received[seen]!
        if (m.id !== MSG.piece) continue
        const i = m.payload.readUInt32BE(0)
        const b = m.payload.readUInt32BE(4)
        if (!pending.delete(`${i}:${b}`)) continue
        m.payload.copy(out, i * t.pieceLength + b, 8)
        got++
      }
    }
    for (let i = 0; i < pieceCount(t); i++) {
      const piece = out.subarray(i * t.pieceLength, Math.min((i + 1) * t.pieceLength, out.length))
      const digest = createHash('sha1').update(piece).digest('hex')
      if (digest !== hashes[i]) throw new Error(`raw peer: piece ${i} fails its hash`)
    }
    return out
  }

  close(): void {
    this.socket.destroy()
  }
}
