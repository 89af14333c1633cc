// A raw-socket peer (test/integration/helpers/raw-peer.ts) sends the legal message orders real
// clients use to a seeding and to a leeching Seedling engine; the transfer must still work and the
// connection must be kept: messages pipelined right behind the handshake, extended handshake before or
// after the bitfield, BEP 6 have_all/have_none instead of a bitfield, no bitfield at all, keep-alives
// anywhere, DHT `port`, unknown extended ids, allowed_fast, suggest and reject_request.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createTorrentFile } from '../../src/main/engine/create'
import type { TorrentEngine } from '../../src/main/engine/engine'
import { openEngine, portOf, sha1File, tempDir, waitForTorrent } from './helpers/engines'
import { seededBytes } from '../support/test-data'
import { MSG, RawPeer, msg, pieceCount } from './helpers/raw-peer'
import type { TorrentData } from './helpers/raw-peer'

const SIZE = 200_000 // 7 pieces of 32 KiB, the last one short
const PIECE = 32 * 1024

describe('legal message orders from a raw peer', () => {
  const engines: TorrentEngine[] = []
  const dirs: string[] = []
  const peers: RawPeer[] = []
  const servers: Array<{ close(): void }> = []

  afterEach(async () => {
    for (const p of peers.splice(0)) p.close()
    for (const s of servers.splice(0)) s.close()
    await Promise.all(engines.splice(0).map((e) => e.close()))
    await Promise.all(dirs.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })))
  })

  let made = 0
  async function makeTorrent() {
    const root = await tempDir('order')
    dirs.push(root)
    const data = seededBytes(SIZE, 'message-order', String(++made))
    const file = path.join(root, 'seed', 'payload.bin')
    await fs.mkdir(path.dirname(file), { recursive: true })
    await fs.writeFile(file, data)
    const { torrent, decoded } = await createTorrentFile({ path: file, pieceLength: PIECE })
    const t: TorrentData = { infoHash: decoded.meta.infoHash, pieceLength: PIECE, data }
    return { root, torrent, t, hashes: decoded.meta.pieceHashes }
  }

  async function seedingEngine(peerPort?: number) {
    const m = await makeTorrent()
    const engine = await openEngine(path.join(m.root, 'seed-state'), path.join(m.root, 'seed'), {
      peers: peerPort ? [`127.0.0.1:${peerPort}`] : [],
    })
    engines.push(engine)
    await engine.addTorrent({
      source: { kind: 'file', data: Buffer.from(m.torrent).toString('base64') },
      downloadDir: path.join(m.root, 'seed'),
    })
    await waitForTorrent(engine, m.t.infoHash, (s) => s.status === 'seeding')
    return { ...m, engine, port: await portOf(engine) }
  }

  async function leechingEngine(peerPort?: number) {
    const m = await makeTorrent()
    const dl = path.join(m.root, 'dl')
    const engine = await openEngine(path.join(m.root, 'leech-state'), dl, {
      peers: peerPort ? [`127.0.0.1:${peerPort}`] : [],
    })
    engines.push(engine)
    await engine.addTorrent({
      source: { kind: 'file', data: Buffer.from(m.torrent).toString('base64') },
    })
    return { ...m, engine, dl, port: await portOf(engine) }
  }

  async function connect(port: number): Promise<RawPeer> {
    const p = await RawPeer.connect(port)
    peers.push(p)
    return p
  }

  async function expectDownloaded(s: Awaited<ReturnType<typeof leechingEngine>>) {
    await waitForTorrent(s.engine, s.t.infoHash, (x) => x.status === 'seeding', 30_000)
    expect(await sha1File(path.join(s.dl, 'payload.bin'))).toBe(
      await sha1File(path.join(s.root, 'seed', 'payload.bin')),
    )
  }

  describe('Seedling seeds, the raw peer leeches', () => {
    it('handshake and interested in one write, no bitfield at all (no Fast extension)', async () => {
      const s = await seedingEngine()
      const p = await connect(s.port)
      p.send(p.handshakeBytes(s.t.infoHash, { extended: true }), msg.raw(MSG.interested))
      await p.waitHandshake()
      const got = await p.fetchAll(s.t, s.hashes, 20_000)
      expect(got.equals(s.t.data)).toBe(true)
      expect(p.open).toBe(true)
    })

    it('outgoing: handshake and interested in one write, no bitfield (the peer has nothing)', async () => {
      const listener = await RawPeer.listen()
      servers.push(listener.server)
      const s = await seedingEngine(listener.port)
      const p = await listener.accepted
      peers.push(p)
      p.send(p.handshakeBytes(s.t.infoHash, { extended: true }), msg.raw(MSG.interested))
      const got = await p.fetchAll(s.t, s.hashes, 20_000)
      expect(got.equals(s.t.data)).toBe(true)
      expect(p.open).toBe(true)
    })

    it('Fast: have_none, extended handshake, port, unknown extended id, keep-alive and interested pipelined behind the handshake', async () => {
      const s = await seedingEngine()
      const p = await connect(s.port)
      p.send(
        p.handshakeBytes(s.t.infoHash, { fast: true, extended: true, dht: true }),
        msg.raw(MSG.haveNone),
        msg.extendedHandshake(),
        msg.port(6881),
        msg.extended(77, 'd3:fooi1ee'),
        msg.keepAlive(),
        msg.raw(MSG.interested),
      )
      await p.waitHandshake()
      // Seedling has every piece and the peer set the Fast bit: have_all instead of a bitfield
      await p.waitMessage(MSG.haveAll)
      const got = await p.fetchAll(s.t, s.hashes, 20_000)
      expect(got.equals(s.t.data)).toBe(true)
      expect(p.open).toBe(true)
    })

    it('waits for the handshake, then extended handshake before an empty bitfield, keep-alives in between', async () => {
      const s = await seedingEngine()
      const p = await connect(s.port)
      p.send(p.handshakeBytes(s.t.infoHash, { extended: true }))
      await p.waitHandshake()
      await p.waitMessage(MSG.bitfield)
      p.send(msg.keepAlive(), msg.extendedHandshake(), msg.keepAlive())
      p.send(
        msg.bitfield(pieceCount(s.t), () => false),
        msg.keepAlive(),
      )
      p.send(msg.raw(MSG.interested))
      const got = await p.fetchAll(s.t, s.hashes, 20_000)
      expect(got.equals(s.t.data)).toBe(true)
    })
  })

  describe('Seedling leeches from the raw peer', () => {
    it('incoming, Fast: handshake, extended handshake, have_all, allowed_fast, suggest, port, unknown extended id and unchoke in one write; two rejected requests', async () => {
      const s = await leechingEngine()
      const p = await connect(s.port)
      p.send(
        p.handshakeBytes(s.t.infoHash, { fast: true, extended: true, dht: true }),
        msg.extendedHandshake(),
        msg.raw(MSG.haveAll),
        msg.ints(MSG.allowedFast, 0),
        msg.ints(MSG.suggest, 1),
        msg.port(6881),
        msg.extended(99, 'le'),
        msg.keepAlive(),
        msg.raw(MSG.unchoke),
      )
      p.serve(s.t, { rejectFirst: 2, alreadyUnchoked: true })
      await p.waitHandshake()
      await expectDownloaded(s)
      expect(p.open).toBe(true)
    })

    it('outgoing, no Fast: bitfield before the extended handshake, a redundant have, keep-alive and port', async () => {
      const listener = await RawPeer.listen()
      servers.push(listener.server)
      const s = await leechingEngine(listener.port)
      const p = await listener.accepted
      peers.push(p)
      await p.waitHandshake()
      p.serve(s.t)
      p.send(
        p.handshakeBytes(s.t.infoHash, { extended: true, dht: true }),
        msg.bitfield(pieceCount(s.t), () => true),
        msg.extendedHandshake(),
        msg.ints(MSG.have, 3),
        msg.keepAlive(),
        msg.port(6881),
      )
      await expectDownloaded(s)
      expect(p.open).toBe(true)
    })

    it('outgoing, Fast: unchoke and have_none first, then the pieces announced one by one with have', async () => {
      const listener = await RawPeer.listen()
      servers.push(listener.server)
      const s = await leechingEngine(listener.port)
      const p = await listener.accepted
      peers.push(p)
      await p.waitHandshake()
      p.serve(s.t, { alreadyUnchoked: true })
      p.send(
        p.handshakeBytes(s.t.infoHash, { fast: true, extended: true }),
        msg.raw(MSG.unchoke),
        msg.raw(MSG.haveNone),
        msg.extendedHandshake(),
      )
      for (let i = 0; i < pieceCount(s.t); i++) {
        await new Promise((r) => setTimeout(r, 50))
        p.send(msg.ints(MSG.have, i), msg.keepAlive())
      }
      await expectDownloaded(s)
      expect(p.open).toBe(true)
    })
  })
})
