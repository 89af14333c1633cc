/**
 * A hostile tracker against the real engine, on 127.0.0.1 only: huge replies, floods of silent
 * peers, bogus addresses, control characters, thousands of trackers. Bogus addresses handed out
 * here are never routable: 0.0.0.0 dials loopback on Linux (which is how we see that it was
 * dialled), broadcast, multicast and reserved addresses fail without leaving the host, and the
 * suite runs in a network namespace where loopback is the only interface.
 */
import { promises as fs } from 'node:fs'
import type { AddressInfo } from 'node:net'
import net from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import TrackerClient from 'bittorrent-tracker'
import type WebTorrent from 'webtorrent'
import { createDispatcher } from '../../src/main/api-dispatch'
import type { TorrentEngine } from '../../src/main/engine/engine'
import type { TrackerEntry } from '../../src/shared/api'
import { MAX_TRACKERS_PER_TORRENT } from '../../src/shared/schema'
import { makeTorrentFixture } from '../support/torrent-builder'
import type { TorrentFixture } from '../support/torrent-builder'
import { SilentPeers } from '../support/dead-peers'
import {
  HostileTracker,
  HostileUdpTracker,
  failureReply,
  peersReply,
} from '../support/hostile-tracker'
import type { TrackerReply } from '../support/hostile-tracker'
import { openEngine, tempDir, waitForTorrent } from './helpers/engines'
import { RawPeer } from './helpers/raw-peer'
import { StackFixture, addReady, listeningPort, waitFor } from './helpers/stack'

const cleanups: Array<() => Promise<void> | void> = []
const stack = new StackFixture()
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  await stack.cleanup()
})

async function tracker(reply: TrackerReply | (() => TrackerReply)): Promise<HostileTracker> {
  const t = await HostileTracker.start(typeof reply === 'function' ? reply : () => reply)
  cleanups.push(() => t.close())
  return t
}

async function silent(count: number): Promise<SilentPeers> {
  const s = await SilentPeers.start(count)
  cleanups.push(() => s.close())
  return s
}

async function fixture(trackers: string[], size = 64 * 1024): Promise<TorrentFixture> {
  const dir = await tempDir('hostile')
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }))
  return makeTorrentFixture({
    dir,
    files: [{ path: 'data.bin', size }],
    pieceLength: 16 * 1024,
    trackers,
  })
}

async function engine(): Promise<TorrentEngine> {
  const root = await tempDir('hostile-engine')
  const e = await openEngine(path.join(root, 'state'), path.join(root, 'dl'))
  cleanups.push(async () => {
    await e.close()
    await fs.rm(root, { recursive: true, force: true })
  })
  return e
}

async function addFile(e: TorrentEngine, f: TorrentFixture): Promise<string> {
  const { torrent } = await e.addTorrent({
    source: { kind: 'file', data: Buffer.from(f.torrentBuffer).toString('base64') },
  })
  return torrent.infoHash
}

/** Polls the torrent's tracker list until `pick` finds an entry; bounded in time. */
async function trackerEntry(
  e: TorrentEngine,
  infoHash: string,
  pick: (t: TrackerEntry) => boolean,
  timeoutMs = 15_000,
): Promise<TrackerEntry> {
  const deadline = Date.now() + timeoutMs
  let last: TrackerEntry[] = []
  while (Date.now() < deadline) {
    last = (await e.getTorrent({ infoHash })).trackers
    const found = last.find(pick)
    if (found) return found
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`no matching tracker entry; last: ${JSON.stringify(last)}`)
}

/**
 * A seeder that speaks TCP only, whose UDP port drops packets (a firewalled aria2c, say): a uTP
 * attempt to it times out instead of being refused.
 */
async function tcpOnlySeeder(f: TorrentFixture, udpSink: SilentPeers): Promise<number> {
  const client: WebTorrent = stack.client({ utp: false })
  await addReady(client, Buffer.from(f.torrentBuffer), { path: f.dataDir })
  const port = await listeningPort(client)
  await udpSink.swallowUdp(port)
  return port
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('a hostile tracker', () => {
  it('cannot make us buffer a huge reply: it is cut off at the cap and shown as an error', async () => {
    const t = await tracker({ kind: 'huge', size: 100 * 1024 * 1024 })
    const e = await engine()
    const infoHash = await addFile(e, await fixture([t.url]))
    const entry = await trackerEntry(e, infoHash, (x) => x.status === 'error')
    expect(entry.error).toMatch(/tracker reply is larger than 4 MB/)
    await sleep(200)
    expect(t.repliesCutShort).toBeGreaterThanOrEqual(1)
    // The cap plus what the kernel's socket buffers took; upstream read all 100 MB.
    expect(t.bytesWritten).toBeLessThan(24 * 1024 * 1024)
  })

  it('cannot hold a request open with a slow drip: it ends at the timeout as a tracker error', async () => {
    const body = Buffer.from(`d8:intervali1800e5:peers${'0'.repeat(600)}e`)
    const t = await tracker({ kind: 'drip', body, intervalMs: 200 })
    const e = await engine()
    const infoHash = await addFile(e, await fixture([t.url]))
    const entry = await trackerEntry(e, infoHash, (x) => x.status === 'error', 25_000)
    expect(entry.error).toBe('tracker did not reply within 15 s')
    await sleep(300)
    expect(t.repliesCutShort).toBe(1)
  })

  it('has its failure reason shown as one short clean line', async () => {
    const reason = `\u001b[2J\u001b[31mbanned\r\n\u0000\u202e${'x'.repeat(5000)}`
    const t = await tracker(failureReply(reason))
    const e = await engine()
    const infoHash = await addFile(e, await fixture([t.url]))
    const entry = await trackerEntry(e, infoHash, (x) => x.status === 'error')
    expect(entry.error).toMatch(/^banned x+…$/)
    expect(Array.from(entry.error ?? '').length).toBeLessThanOrEqual(200)
  })

  it.each(['http', 'udp'])(
    'gets no more than the peer cap accepted from a %s reply of thousands',
    async (kind) => {
      const peers = Array.from({ length: 5000 }, (_, i) => ({
        host: '127.0.0.1',
        port: 10_000 + i,
      }))
      let url: string
      let announced: () => boolean
      if (kind === 'http') {
        const t = await tracker(peersReply(peers))
        url = t.url
        announced = () => t.announces.length > 0
      } else {
        const t = await HostileUdpTracker.start(peers)
        cleanups.push(() => t.close())
        url = t.url
        announced = () => t.announces > 0
      }
      const client = new TrackerClient({
        infoHash: 'a'.repeat(40),
        peerId: 'b'.repeat(40),
        announce: [url],
        port: 6881,
      })
      cleanups.push(() => new Promise<void>((resolve) => client.destroy(() => resolve())))
      let got = 0
      client.on('peer', () => got++)
      client.on('warning', () => {})
      client.start()
      await waitFor(announced, 10_000, 'an announce')
      await waitFor(() => got > 0, 5_000, 'peers')
      await sleep(300)
      expect(got).toBe(200)
    },
  )

  it('has bogus addresses refused by addPeer, whatever their source, and loopback kept', async () => {
    const f = await fixture([])
    const client: WebTorrent = stack.client()
    const torrent = client.add(Buffer.from(f.torrentBuffer), { path: await stack.tempDir() })
    await new Promise<void>((resolve) => torrent.once('infoHash', () => resolve()))
    const bogus = [
      '0.0.0.0:6881',
      '0.1.2.3:6881',
      '255.255.255.255:6881',
      '224.0.0.1:6881',
      '239.255.255.250:1900',
      '240.0.0.1:6881',
      '127.0.0.1:0',
      '[::]:6881',
      '[ff02::1]:6881',
      '[ff05::1:3]:6881',
      '[::ffff:224.0.0.1]:6881',
    ]
    for (const addr of bogus) expect(torrent.addPeer(addr), addr).toBe(false)
    // Dialled, but only loopback, where nothing listens on these ports.
    for (const addr of ['127.0.0.1:1', '127.0.0.2:65535', '[::1]:2']) {
      expect(torrent.addPeer(addr), addr).toBe(true)
    }
  })

  it('cannot make us dial 0.0.0.0, broadcast, multicast, reserved addresses or port 0', async () => {
    const trap = await silent(2)
    const [bogusTarget, control] = trap.peers as [SilentPeers['peers'][0], SilentPeers['peers'][0]]
    const t = await tracker(
      peersReply([
        { host: '0.0.0.0', port: bogusTarget.port },
        { host: '0.1.2.3', port: bogusTarget.port },
        { host: '255.255.255.255', port: bogusTarget.port },
        { host: '224.0.0.1', port: bogusTarget.port },
        { host: '239.255.255.250', port: bogusTarget.port },
        { host: '240.0.0.1', port: bogusTarget.port },
        { host: '127.0.0.1', port: 0 },
        control,
      ]),
    )
    const e = await engine()
    await addFile(e, await fixture([t.url]))
    const deadline = Date.now() + 10_000
    while (!trap.contacted(control.port) && Date.now() < deadline) await sleep(50)
    expect(trap.contacted(control.port)).toBe(true)
    // The bogus ones came first in the reply: had they been dialled, 0.0.0.0 would be by now.
    await sleep(500)
    expect(trap.contacted(bogusTarget.port)).toBe(false)
  })

  it('cannot starve an honest peer listed first behind thousands of silent ones', async () => {
    const dead = await silent(300)
    const t = await tracker(peersReply([]))
    const f = await fixture([t.url])
    const honest = { host: '127.0.0.1', port: await tcpOnlySeeder(f, dead) }
    // Beyond the silent listeners, ports with nothing behind them (below the ephemeral range, so
    // no socket of this test is there): refused at once over TCP, unanswered over uTP.
    const unused = Array.from({ length: 3000 }, (_, i) => ({ host: '127.0.0.1', port: 20_000 + i }))
    t.reply(() => peersReply([honest, ...dead.peers, ...unused]))
    const e = await engine()
    const started = Date.now()
    const infoHash = await addFile(e, f)
    // Three seconds of uTP timeout, then TCP; upstream took minutes (uTP for 5 s, then TCP at the
    // back of the queue). Most of the rest (~4 s here) is the engine setting up 200 encryption
    // handshakes at once (bittorrent-protocol's createDiffieHellman checks the prime, ~17 ms each).
    await waitForTorrent(e, infoHash, (s) => s.status === 'seeding', 15_000)
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('cannot starve an honest peer listed last behind a full reply of silent ones', async () => {
    const dead = await silent(199)
    const t = await tracker(peersReply([]))
    const f = await fixture([t.url])
    const honest = { host: '127.0.0.1', port: await tcpOnlySeeder(f, dead) }
    t.reply(() => peersReply([...dead.peers, honest]))
    const e = await engine()
    const infoHash = await addFile(e, f)
    // Every address of the reply is tried at once; upstream dialled them 55 at a time, each silent
    // one holding its slot for 30 s or more.
    await waitForTorrent(e, infoHash, (s) => s.status === 'seeding', 20_000)
  })
})

describe('connection budget', () => {
  it('still holds a torrent to maxConns peers while attempts run beside them', async () => {
    const f = await fixture([])
    const infoHash = Buffer.from(f.infoHash, 'hex').toString('hex')
    const listeners: net.Server[] = []
    const sockets: net.Socket[] = []
    let handshakes = 0
    for (let i = 0; i < 8; i++) {
      const server = net.createServer((socket) => {
        sockets.push(socket)
        const peer = new RawPeer(socket)
        peer.waitHandshake(5_000).then(
          () => {
            handshakes++
            peer.send(peer.handshakeBytes(infoHash, { fast: true }))
          },
          () => peer.close(),
        )
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      listeners.push(server)
    }
    cleanups.push(() => {
      for (const socket of sockets) socket.destroy()
      for (const server of listeners) server.close()
    })
    const client: WebTorrent = stack.client({ maxConns: 3 })
    const torrent = client.add(Buffer.from(f.torrentBuffer), { path: await stack.tempDir() })
    await new Promise<void>((resolve) => torrent.once('infoHash', () => resolve()))
    for (const server of listeners) {
      torrent.addPeer(`127.0.0.1:${(server.address() as AddressInfo).port}`)
    }
    let most = 0
    const until = Date.now() + 2_000
    while (Date.now() < until) {
      most = Math.max(most, torrent.wires.length)
      await sleep(20)
    }
    expect(handshakes).toBeGreaterThanOrEqual(3)
    expect(most).toBe(3)
    expect(torrent.wires.length).toBe(3)
  })
})

describe('tracker budget', () => {
  // Every tracker refuses, so the tier walk (BEP 12: a magnet's tr= are a tier each) tries them all.
  it(`announces to at most ${MAX_TRACKERS_PER_TORRENT} of a magnet's 5,000 tr=`, async () => {
    const t = await tracker(failureReply('no'))
    const trs = Array.from(
      { length: 5000 },
      (_, i) => `&tr=${encodeURIComponent(`${t.url}?n=${i}`)}`,
    )
    const e = await engine()
    const { torrent } = await e.addTorrent({
      source: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${'c'.repeat(40)}${trs.join('')}` },
    })
    await t.waitForAnnounces(MAX_TRACKERS_PER_TORRENT)
    await sleep(1000)
    expect(t.announces.length).toBe(MAX_TRACKERS_PER_TORRENT)
    const { trackers } = await e.getTorrent({ infoHash: torrent.infoHash })
    expect(trackers).toHaveLength(MAX_TRACKERS_PER_TORRENT)
  })

  it('announces to at most the budget when a magnet and the request each bring a full list', async () => {
    const t = await tracker(failureReply('no'))
    const urls = (tag: string): string[] =>
      Array.from({ length: MAX_TRACKERS_PER_TORRENT }, (_, i) => `${t.url}?${tag}=${i}`)
    const trs = urls('m').map((u) => `&tr=${encodeURIComponent(u)}`)
    const e = await engine()
    await e.addTorrent({
      source: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${'d'.repeat(40)}${trs.join('')}` },
      trackers: urls('r'),
    })
    await t.waitForAnnounces(MAX_TRACKERS_PER_TORRENT)
    await sleep(1000)
    expect(t.announces.length).toBe(MAX_TRACKERS_PER_TORRENT)
  })

  it('refuses javascript: and file: trackers in addTorrent with a clear error', async () => {
    const e = await engine()
    const dispatch = createDispatcher(e)
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd']) {
      await expect(
        dispatch('addTorrent', {
          source: { kind: 'infoHash', infoHash: 'e'.repeat(40) },
          trackers: [bad],
        }),
      ).rejects.toThrow(/invalid addTorrent request at trackers\.0: expected a tracker URL/)
    }
    expect(await e.listTorrents()).toEqual([])
  })
})
