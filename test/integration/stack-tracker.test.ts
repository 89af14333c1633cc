/**
 * Patch: bittorrent-tracker clamps the announce interval a tracker asks for
 * (patches/bittorrent-tracker+11.2.3.patch). A tiny HTTP and a tiny UDP tracker on 127.0.0.1 reply
 * `interval: 1`; the tracker client (the one webtorrent uses through torrent-discovery) must not
 * re-announce every second.
 */
import { Buffer } from 'node:buffer'
import dgram from 'node:dgram'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Client } from 'bittorrent-tracker'
import { afterEach, describe, expect, it } from 'vitest'
import { encode } from '../../src/main/engine/bencode'
import type { Encodable } from '../../src/main/engine/bencode'
import { StackFixture, waitFor, withTimeout } from './helpers/stack'

const fx = new StackFixture()
afterEach(() => fx.cleanup())

const INFO_HASH = 'aa'.repeat(20)
const PEER_ID = Buffer.from('-SD0001-abcdefghijkl').toString('hex')
const WATCH_MS = 3_500

/** A minimal HTTP tracker on 127.0.0.1 answering every announce with `reply`; counts announces. */
async function httpTracker(
  reply: Record<string, Encodable>,
): Promise<{ url: string; events: string[] }> {
  const events: string[] = []
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/announce') events.push(url.searchParams.get('event') ?? 'periodic')
    res.end(encode({ peers: new Uint8Array(0), ...reply }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  fx.onCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/announce`, events }
}

/** A minimal UDP tracker (BEP 15) on 127.0.0.1 answering announces with `interval`. */
async function udpTracker(interval: number): Promise<{ url: string; events: number[] }> {
  const events: number[] = []
  const socket = dgram.createSocket('udp4')
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 16) return
    const action = msg.readUInt32BE(8)
    const tid = msg.readUInt32BE(12)
    if (action === 0) {
      const out = Buffer.alloc(16)
      out.writeUInt32BE(0, 0)
      out.writeUInt32BE(tid, 4)
      out.writeUInt32BE(0x1234, 8)
      out.writeUInt32BE(0x5678, 12)
      socket.send(out, rinfo.port, rinfo.address)
    } else if (action === 1 && msg.length >= 98) {
      events.push(msg.readUInt32BE(80)) // 0 none, 1 completed, 2 started, 3 stopped
      const out = Buffer.alloc(20)
      out.writeUInt32BE(1, 0)
      out.writeUInt32BE(tid, 4)
      out.writeUInt32BE(interval, 8)
      out.writeUInt32BE(0, 12)
      out.writeUInt32BE(1, 16)
      socket.send(out, rinfo.port, rinfo.address)
    }
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  fx.onCleanup(() => new Promise<void>((resolve) => socket.close(() => resolve())))
  return { url: `udp://127.0.0.1:${socket.address().port}`, events }
}

function startClient(announce: string): Client {
  const client = new Client({
    infoHash: INFO_HASH,
    peerId: PEER_ID,
    announce: [announce],
    port: 6881,
  })
  client.on('warning', () => {})
  client.on('error', () => {})
  fx.onCleanup(() =>
    withTimeout(new Promise<void>((resolve) => client.destroy(() => resolve())), 5_000, 'destroy'),
  )
  client.start()
  return client
}

describe('bittorrent-tracker announce interval clamp', () => {
  it('HTTP: a tracker replying interval 1 gets one announce, not one per second', async () => {
    const tracker = await httpTracker({ interval: 1 })
    startClient(tracker.url)
    await waitFor(() => tracker.events.length >= 1, 5_000, 'first announce')
    await new Promise((r) => setTimeout(r, WATCH_MS))
    // unpatched: started + one periodic announce per second
    expect(tracker.events).toEqual(['started'])
  })

  it('HTTP: `min interval` alone is honoured and clamped too', async () => {
    const tracker = await httpTracker({ 'min interval': 1 })
    startClient(tracker.url)
    await waitFor(() => tracker.events.length >= 1, 5_000, 'first announce')
    await new Promise((r) => setTimeout(r, WATCH_MS))
    expect(tracker.events).toEqual(['started'])
  })

  it('UDP: a tracker replying interval 1 gets one announce, not one per second', async () => {
    const tracker = await udpTracker(1)
    startClient(tracker.url)
    await waitFor(() => tracker.events.length >= 1, 5_000, 'first announce')
    await new Promise((r) => setTimeout(r, WATCH_MS))
    expect(tracker.events).toEqual([2])
  })

  it('clampAnnounceInterval bounds', async () => {
    // not in the package's `exports`: load the patched module by its file path
    const file = path.resolve('node_modules/bittorrent-tracker/lib/client/tracker.js')
    const mod = (await import(pathToFileURL(file).href)) as {
      clampAnnounceInterval?: (interval: unknown, minInterval?: unknown) => number | null
      MIN_ANNOUNCE_INTERVAL?: number
      MAX_ANNOUNCE_INTERVAL?: number
    }
    const clamp = mod.clampAnnounceInterval
    expect(typeof clamp).toBe('function')
    if (!clamp) return
    expect(mod.MIN_ANNOUNCE_INTERVAL).toBe(120_000)
    expect(mod.MAX_ANNOUNCE_INTERVAL).toBe(7_200_000)
    // below the floor
    expect(clamp(1)).toBe(120_000)
    expect(clamp(119)).toBe(120_000)
    // in range: as asked
    expect(clamp(120)).toBe(120_000)
    expect(clamp(1800)).toBe(1_800_000)
    expect(clamp(7200)).toBe(7_200_000)
    // above the ceiling (a uint32 from UDP would overflow setInterval into a 1 ms timer)
    expect(clamp(7201)).toBe(7_200_000)
    expect(clamp(0xffffffff)).toBe(7_200_000)
    // nonsense is ignored (keep the current timer)
    expect(clamp(0)).toBeNull()
    expect(clamp(-5)).toBeNull()
    expect(clamp(Number.NaN)).toBeNull()
    expect(clamp(Number.POSITIVE_INFINITY)).toBeNull()
    expect(clamp('60')).toBeNull()
    expect(clamp(undefined, undefined)).toBeNull()
    // `min interval`: never announce more often than the tracker allows (within the bounds)
    expect(clamp(600, 900)).toBe(900_000)
    expect(clamp(3600, 300)).toBe(3_600_000)
    expect(clamp(undefined, 300)).toBe(300_000)
    expect(clamp(0, 300)).toBe(300_000)
    expect(clamp(600, 100_000)).toBe(7_200_000)
    expect(clamp(600, -1)).toBe(600_000)
  })
})
