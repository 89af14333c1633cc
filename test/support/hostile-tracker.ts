/**
 * A scriptable HTTP tracker on 127.0.0.1 for attacking a client in tests: each announce is answered
 * by the test's script with an ordinary bencoded reply (any peers, any failure reason), a reply of
 * any size streamed with backpressure, or a slow drip. It records what it was asked and how many
 * bytes the client actually took. A UDP tracker that floods peers comes with it.
 */
import dgram from 'node:dgram'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { encode } from '../../src/main/engine/bencode'
import type { Encodable } from '../../src/main/engine/bencode'

export interface Announce {
  infoHash: string
  port: number
  event: string | null
  at: number
}

export type TrackerReply =
  /** A bencoded dictionary, sent at once. */
  | { kind: 'dict'; dict: { [key: string]: Encodable } }
  /** `d5:peers<size>:…e` with `size` bytes of zeros, streamed in chunks as the client reads. */
  | { kind: 'huge'; size: number }
  /** `body` one byte every `intervalMs`. */
  | { kind: 'drip'; body: Uint8Array; intervalMs: number }

export type Script = (announce: Announce) => TrackerReply

/** Compact IPv4 peers (BEP 23): 4 address bytes and 2 port bytes each. */
export function compactPeers(peers: ReadonlyArray<{ host: string; port: number }>): Buffer {
  const out = Buffer.alloc(peers.length * 6)
  peers.forEach(({ host, port }, i) => {
    const octets = host.split('.').map(Number)
    if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255))) {
      throw new Error(`not an IPv4 address: ${host}`)
    }
    out.set(octets, i * 6)
    out.writeUInt16BE(port, i * 6 + 4)
  })
  return out
}

/** Compact IPv6 peers (BEP 7): 16 address bytes and 2 port bytes each. */
export function compactPeers6(peers: ReadonlyArray<{ host: string; port: number }>): Buffer {
  const out = Buffer.alloc(peers.length * 18)
  peers.forEach(({ host, port }, i) => {
    const [head = '', tail = ''] = host.split('::')
    const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)))
    const front = groups(head)
    const back = host.includes('::') ? groups(tail) : []
    const all = [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back]
    if (all.length !== 8 || all.some((g) => !(g >= 0 && g <= 0xffff))) {
      throw new Error(`not an IPv6 address: ${host}`)
    }
    all.forEach((g, j) => out.writeUInt16BE(g, i * 18 + j * 2))
    out.writeUInt16BE(port, i * 18 + 16)
  })
  return out
}

/** An ordinary announce reply listing `peers`. */
export function peersReply(
  peers: ReadonlyArray<{ host: string; port: number }>,
  interval = 1800,
): TrackerReply {
  return { kind: 'dict', dict: { interval, peers: compactPeers(peers) } }
}

export function failureReply(reason: string | Uint8Array): TrackerReply {
  return { kind: 'dict', dict: { 'failure reason': reason } }
}

const CHUNK = 64 * 1024

/** A percent-encoded binary query parameter (URLSearchParams would decode it as UTF-8). */
function binaryParam(url: string, name: string): Buffer {
  const raw = new RegExp(`[?&]${name}=([^&]*)`).exec(url)?.[1] ?? ''
  const bytes: number[] = []
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '%') {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      bytes.push(raw.charCodeAt(i))
    }
  }
  return Buffer.from(bytes)
}

export class HostileTracker {
  readonly announces: Announce[] = []
  /** Bytes of reply bodies written into sockets (accepted by the kernel, so read or buffered). */
  bytesWritten = 0
  /** Replies whose client went away before the whole body was written. */
  repliesCutShort = 0

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private script: Script,
  ) {}

  static async start(script: Script = () => peersReply([])): Promise<HostileTracker> {
    const server = http.createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const tracker = new HostileTracker(server, `http://127.0.0.1:${port}/announce`, script)
    server.on('request', (req, res) => tracker.onRequest(req, res))
    return tracker
  }

  /** Replaces the script for the announces to come. */
  reply(script: Script): void {
    this.script = script
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** Resolves once `n` announces arrived; bounded in time. */
  async waitForAnnounces(n: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.announces.length < n) {
      if (Date.now() > deadline) {
        throw new Error(`tracker got ${this.announces.length} of ${n} announces in ${timeoutMs} ms`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams
    const announce: Announce = {
      infoHash: binaryParam(req.url ?? '', 'info_hash').toString('hex'),
      port: Number(query.get('port')),
      event: query.get('event'),
      at: Date.now(),
    }
    this.announces.push(announce)
    const reply = this.script(announce)
    if (reply.kind === 'dict') {
      const body = encode(reply.dict)
      this.bytesWritten += body.length
      res.end(body)
    } else if (reply.kind === 'huge') {
      this.streamHuge(res, reply.size)
    } else {
      this.drip(res, reply.body, reply.intervalMs)
    }
  }

  private streamHuge(res: http.ServerResponse, size: number): void {
    const head = Buffer.from(`d5:peers${size}:`)
    const zeros = Buffer.alloc(CHUNK)
    let left = size
    let cut = false
    res.on('close', () => {
      if (left > 0 && !cut) {
        cut = true
        this.repliesCutShort++
      }
    })
    res.write(head)
    const pump = (): void => {
      while (left > 0 && !res.destroyed) {
        const n = Math.min(left, CHUNK)
        left -= n
        this.bytesWritten += n
        if (!res.write(n === CHUNK ? zeros : zeros.subarray(0, n))) {
          res.once('drain', pump)
          return
        }
      }
      if (left === 0 && !res.destroyed) res.end('e')
    }
    pump()
  }

  private drip(res: http.ServerResponse, body: Uint8Array, intervalMs: number): void {
    let i = 0
    const timer = setInterval(() => {
      if (i >= body.length) {
        clearInterval(timer)
        res.end()
        return
      }
      this.bytesWritten++
      res.write(body.subarray(i, ++i))
    }, intervalMs)
    res.on('close', () => {
      clearInterval(timer)
      if (i < body.length) this.repliesCutShort++
    })
  }
}

/**
 * A UDP tracker (BEP 15) on 127.0.0.1 (or `host`, such as ::1) that answers every announce with `peers`
 * (compact IPv4, or IPv6 on an IPv6 host), as many as fit in one datagram.
 */
export class HostileUdpTracker {
  announces = 0

  private constructor(
    private readonly socket: dgram.Socket,
    readonly url: string,
    private readonly peers: Buffer,
  ) {}

  static async start(
    peers: ReadonlyArray<{ host: string; port: number }>,
    host = '127.0.0.1',
  ): Promise<HostileUdpTracker> {
    const ipv6 = host.includes(':')
    const socket = dgram.createSocket(ipv6 ? 'udp6' : 'udp4')
    await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()))
    const { port } = socket.address()
    const url = ipv6 ? `udp://[${host}]:${port}` : `udp://${host}:${port}`
    const tracker = new HostileUdpTracker(
      socket,
      url,
      ipv6 ? compactPeers6(peers) : compactPeers(peers),
    )
    socket.on('message', (msg, from) => tracker.onMessage(msg, from))
    return tracker
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()))
  }

  private onMessage(msg: Buffer, from: dgram.RemoteInfo): void {
    if (msg.length < 16) return
    const action = msg.readUInt32BE(8)
    const transactionId = msg.readUInt32BE(12)
    let reply: Buffer
    if (action === 0) {
      reply = Buffer.alloc(16)
      reply.writeUInt32BE(0, 0)
      reply.writeUInt32BE(transactionId, 4)
      reply.writeBigUInt64BE(0x1234n, 8)
    } else if (action === 1) {
      this.announces++
      const head = Buffer.alloc(20)
      head.writeUInt32BE(1, 0)
      head.writeUInt32BE(transactionId, 4)
      head.writeUInt32BE(1800, 8)
      reply = Buffer.concat([head, this.peers])
    } else {
      return
    }
    this.socket.send(reply, from.port, from.address)
  }
}
