/**
 * Peers that are there but never answer, on 127.0.0.1: on loopback an address with no listener
 * refuses at once, which is nothing like the silent addresses a hostile tracker hands out. Each
 * one is a TCP listener that accepts and never speaks and a UDP socket on the same port that
 * swallows uTP packets. Contacts are counted per port, so tests can see who was dialled.
 */
import dgram from 'node:dgram'
import net from 'node:net'
import type { AddressInfo } from 'node:net'

export interface SilentPeer {
  host: '127.0.0.1'
  port: number
}

export class SilentPeers {
  /** First contact (TCP accept or uTP packet) per port, in ms since the epoch. */
  readonly firstContact = new Map<number, number>()
  private readonly closers: Array<() => Promise<void>> = []
  readonly peers: SilentPeer[] = []

  static async start(count: number): Promise<SilentPeers> {
    const set = new SilentPeers()
    for (let i = 0; i < count; i++) set.peers.push(await set.open(0))
    return set
  }

  /** A UDP socket that swallows packets to `port` (for a peer that listens on TCP only). */
  async swallowUdp(port: number): Promise<void> {
    const udp = dgram.createSocket('udp4')
    udp.on('message', () => this.contact(port))
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject)
      udp.bind(port, '127.0.0.1', () => resolve())
    })
    this.closers.push(() => new Promise((resolve) => udp.close(() => resolve())))
  }

  contacted(port: number): boolean {
    return this.firstContact.has(port)
  }

  async close(): Promise<void> {
    await Promise.all(this.closers.splice(0).map((c) => c()))
  }

  private contact(port: number): void {
    if (!this.firstContact.has(port)) this.firstContact.set(port, Date.now())
  }

  private async open(attempt: number): Promise<SilentPeer> {
    const sockets = new Set<net.Socket>()
    const server = net.createServer((socket) => {
      // Accepted and never answered; kept open until close().
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => sockets.delete(socket))
      this.contact(port)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    const closeServer = (): Promise<void> =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
    try {
      await this.swallowUdp(port)
    } catch (err) {
      // The UDP port was taken: try another port, a bounded number of times.
      await closeServer()
      if (attempt >= 20) throw err
      return this.open(attempt + 1)
    }
    this.closers.push(closeServer)
    return { host: '127.0.0.1', port }
  }
}
