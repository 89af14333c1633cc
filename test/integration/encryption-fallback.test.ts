// How fast `prefer` reaches a peer that does not do encryption (issue 11 item 5). The peer is a
// plaintext-only gate on loopback in front of a Seedling seeder, listening on TCP and uTP like a real
// client: a connection that opens with the plaintext BitTorrent handshake is relayed to the seeder,
// one that opens with anything else (an MSE/PE key) is dropped, or vanishes: on uTP every packet of
// that connection is discarded from then on, as seen with qBittorrent (libtorrent) with encryption
// off, whose refusal utp-native never reports. Before the fix that took the handshake timeout (10 s)
// and then ~30 s for the unanswered uTP close before the plaintext retry.
import dgram from 'node:dgram'
import { createRequire } from 'node:module'
import net from 'node:net'
import type { Duplex } from 'node:stream'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EncryptionPolicy } from '@shared/api'
import type { TorrentEngine } from '../../src/main/engine/engine'
import {
  fileSource,
  openEngine,
  sha1File,
  startSeeder,
  tempDir,
  waitForTorrent,
} from './helpers/engines'

interface UtpServer {
  on(event: 'connection', fn: (socket: Duplex) => void): void
  listen(port: number, host: string, cb: () => void): void
  address(): { port: number }
  close(): void
}
const utp = createRequire(import.meta.url)('utp-native') as { createServer(): UtpServer }

const PROTOCOL = Buffer.concat([Buffer.from([19]), Buffer.from('BitTorrent protocol')])
const HANDSHAKE_LENGTH = 68
// uTP (BEP 29): type in the high nibble of byte 0, extension chain from byte 1, connection id at 2.
const UTP_HEADER = 20
const ST_DATA = 0

interface GateOptions {
  /** What happens to a connection that starts with an MSE/PE handshake. */
  onEncrypted: 'drop' | 'vanish'
  /** Cut the first plaintext connection right after the seeder's handshake, forcing a reconnect. */
  cutFirstPlaintext?: boolean
}

interface Gate {
  port: number
  encrypted: number
  plaintext: number
  close(): void
}

/** Where a uTP packet's payload starts (after the extension chain), or -1 for a malformed one. */
function utpPayloadOffset(packet: Buffer): number {
  let next = packet[1] ?? 0
  let at = UTP_HEADER
  while (next !== 0) {
    if (at + 2 > packet.length) return -1
    next = packet[at]!
    at += 2 + packet[at + 1]!
  }
  return at <= packet.length ? at : -1
}

async function plaintextOnlyGate(seederPort: number, opts: GateOptions): Promise<Gate> {
  const sockets = new Set<Duplex>()
  const closers: Array<() => void> = []
  const tcp = net.createServer((s) => onConnection(s))
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve))
  closers.push(() => tcp.close())
  const port = (tcp.address() as net.AddressInfo).port
  const inner = utp.createServer()
  inner.on('connection', (s) => onConnection(s))
  await new Promise<void>((resolve) => inner.listen(0, '127.0.0.1', resolve))
  closers.push(() => inner.close())

  const gate: Gate = {
    port,
    encrypted: 0,
    plaintext: 0,
    close() {
      for (const s of sockets) s.destroy()
      for (const c of closers) c()
    },
  }
  await utpRelay(port, inner.address().port)

  function onConnection(socket: Duplex): void {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
    let head = Buffer.alloc(0)
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk])
      if (head.length < PROTOCOL.length) return
      socket.off('data', onData)
      if (!head.subarray(0, PROTOCOL.length).equals(PROTOCOL)) {
        gate.encrypted++
        // On TCP a vanished peer is one that never answers.
        if (opts.onEncrypted === 'drop') socket.destroy()
        return
      }
      gate.plaintext++
      relay(socket, head, opts.cutFirstPlaintext === true && gate.plaintext === 1)
    }
    socket.on('data', onData)
  }

  function relay(socket: Duplex, head: Buffer, cutAfterHandshake: boolean): void {
    const upstream = net.connect({ host: '127.0.0.1', port: seederPort })
    sockets.add(upstream)
    upstream.on('error', () => socket.destroy())
    socket.on('close', () => upstream.destroy())
    upstream.on('close', () => socket.destroy())
    upstream.write(head)
    socket.pipe(upstream)
    if (!cutAfterHandshake) {
      upstream.pipe(socket)
      return
    }
    let forwarded = 0
    upstream.on('data', (chunk: Buffer) => {
      const part = chunk.subarray(0, HANDSHAKE_LENGTH - forwarded)
      forwarded += part.length
      socket.write(part)
      if (forwarded >= HANDSHAKE_LENGTH) setTimeout(() => upstream.destroy(), 200)
    })
  }

  /**
   * Relays uTP datagrams between the gate's port and the inner uTP server. In 'vanish' mode a
   * connection whose first data is not a plaintext handshake is discarded both ways from then on.
   */
  async function utpRelay(publicPort: number, innerPort: number): Promise<void> {
    const outer = dgram.createSocket('udp4')
    await new Promise<void>((resolve) => outer.bind(publicPort, '127.0.0.1', resolve))
    closers.push(() => outer.close())
    const flows = new Map<string, dgram.Socket>()
    const judged = new Map<number, boolean>() // connection id of the dialler's data -> passes
    outer.on('message', (packet, from) => {
      if (packet.length < UTP_HEADER) return
      const id = packet.readUInt16BE(2)
      if (judged.get(id) === false) return
      const at = utpPayloadOffset(packet)
      if (!judged.has(id) && packet[0]! >> 4 === ST_DATA && at > 0 && at < packet.length) {
        const payload = packet.subarray(at, at + PROTOCOL.length)
        const passes = PROTOCOL.subarray(0, payload.length).equals(payload)
        judged.set(id, passes || opts.onEncrypted === 'drop')
        if (!passes && opts.onEncrypted === 'vanish') {
          gate.encrypted++
          return
        }
      }
      const key = `${from.address}:${from.port}`
      let flow = flows.get(key)
      if (!flow) {
        const socket = dgram.createSocket('udp4')
        socket.on('message', (reply) => {
          // The listener's packets carry the dialler's id minus one.
          if (reply.length >= UTP_HEADER && judged.get(reply.readUInt16BE(2) + 1) === false) return
          outer.send(reply, from.port, from.address)
        })
        socket.bind(0, '127.0.0.1')
        closers.push(() => socket.close())
        flows.set(key, socket)
        flow = socket
      }
      flow.send(packet, innerPort, '127.0.0.1')
    })
  }

  return gate
}

describe('plaintext fallback of `prefer`', () => {
  const engines: TorrentEngine[] = []
  const gates: Gate[] = []
  const dirs: string[] = []

  afterEach(async () => {
    for (const g of gates.splice(0)) g.close()
    await Promise.all(engines.splice(0).map((e) => e.close()))
    await Promise.all(dirs.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })))
  })

  async function setUp(name: string, leecherPolicy: EncryptionPolicy, gateOptions: GateOptions) {
    const root = await tempDir(name)
    dirs.push(root)
    const seeded = await startSeeder(
      root,
      { files: [{ path: 'payload.bin', size: 1_500_000 }], pieceLength: 32 * 1024 },
      (e) => engines.push(e),
    )
    const seederPort = Number(seeded.peer.split(':')[1])
    const gate = await plaintextOnlyGate(seederPort, gateOptions)
    gates.push(gate)
    const leecher = await openEngine(path.join(root, 'leech-state'), path.join(root, 'dl'), {
      overrides: { encryption: leecherPolicy },
      peers: [`127.0.0.1:${gate.port}`],
    })
    engines.push(leecher)
    await leecher.addTorrent({ source: fileSource(seeded.fixture) })
    return { root, gate, leecher, fixture: seeded.fixture }
  }

  for (const onEncrypted of ['drop', 'vanish'] as const) {
    it(`retries in plaintext within seconds when the peer ${onEncrypted === 'drop' ? 'drops the encrypted handshake' : 'vanishes on an encrypted handshake'}`, async () => {
      const t0 = Date.now()
      const { root, gate, leecher, fixture } = await setUp(`fallback-${onEncrypted}`, 'prefer', {
        onEncrypted,
      })
      // ~5 s (the MSE timeout) at worst; a vanishing peer took ~40 s before.
      await waitForTorrent(leecher, fixture.infoHash, (s) => s.downloaded > 0, 15_000)
      expect(Date.now() - t0).toBeLessThan(15_000)
      expect(gate.encrypted).toBeGreaterThanOrEqual(1)
      await waitForTorrent(leecher, fixture.infoHash, (s) => s.status === 'seeding', 30_000)
      const [file] = fixture.files
      expect(await sha1File(path.join(root, 'dl', file!.path))).toBe(
        await sha1File(file!.absolutePath),
      )
    })
  }

  it('remembers that the address wants plaintext: a reconnect pays no second encrypted attempt', async () => {
    const { gate, leecher, fixture } = await setUp('fallback-reconnect', 'prefer', {
      onEncrypted: 'drop',
      cutFirstPlaintext: true,
    })
    await waitForTorrent(leecher, fixture.infoHash, (s) => s.status === 'seeding', 45_000)
    expect(gate.plaintext).toBeGreaterThanOrEqual(2)
    expect(gate.encrypted).toBe(1)
  })

  it('`require` never falls back to plaintext', async () => {
    const { gate, leecher, fixture } = await setUp('fallback-require', 'require', {
      onEncrypted: 'drop',
    })
    // Past the MSE timeout, the handshake timeout and the first reconnect.
    await new Promise((r) => setTimeout(r, 14_000))
    expect(gate.encrypted).toBeGreaterThanOrEqual(1)
    expect(gate.plaintext).toBe(0)
    const [t] = await leecher.listTorrents()
    expect(t?.infoHash).toBe(fixture.infoHash)
    expect(t?.downloaded).toBe(0)
  }, 30_000)
})
