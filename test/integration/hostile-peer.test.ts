// Hostile peers (test/support/hostile-peer.ts) against the real engine over real sockets on
// 127.0.0.1: each malformed or abusive behaviour found in issue 7 must drop that connection only,
// leave the engine serving honest peers, keep memory bounded, and not slow an honest download down.
import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTorrentFile } from '../../src/main/engine/create'
import type { TorrentEngine } from '../../src/main/engine/engine'
import { hostileScenarios, playHostile, requestFloodNeverReading } from '../support/hostile-peer'
import { openEngine, portOf, sha1File, tempDir, waitForTorrent } from './helpers/engines'
import { seededBytes } from '../support/test-data'
import { MSG, RawPeer, msg } from './helpers/raw-peer'
import type { TorrentData } from './helpers/raw-peer'

const PIECE = 32 * 1024
const SIZE = 2 * 1024 * 1024 - 40_000 // 63 pieces (not a multiple of 8), the last one short
const SIZE_PIECES = Math.ceil(SIZE / PIECE)
const SMALL = 200_000 // 7 pieces: a count that is not a multiple of 8, for the spare-bits scenario

interface Seeded {
  engine: TorrentEngine
  port: number
  t: TorrentData
  hashes: string[]
  torrent: Uint8Array
  root: string
}

const engines: TorrentEngine[] = []
const dirs: string[] = []

let seeded = 0

async function seed(size: number): Promise<Seeded> {
  const root = await tempDir('hostile')
  dirs.push(root)
  const data = seededBytes(size, 'hostile-peer', String(++seeded))
  const file = path.join(root, 'seed', 'payload.bin')
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, data)
  const { torrent, decoded } = await createTorrentFile({ path: file, pieceLength: PIECE })
  const engine = await openEngine(path.join(root, 'seed-state'), path.join(root, 'seed'))
  engines.push(engine)
  await engine.addTorrent({
    source: { kind: 'file', data: Buffer.from(torrent).toString('base64') },
    downloadDir: path.join(root, 'seed'),
  })
  const t: TorrentData = { infoHash: decoded.meta.infoHash, pieceLength: PIECE, data }
  await waitForTorrent(engine, t.infoHash, (s) => s.status === 'seeding')
  return { engine, port: await portOf(engine), t, hashes: decoded.meta.pieceHashes, torrent, root }
}

/** Waits (bounded) until the engine closed the peer's connection. */
async function expectDropped(peer: RawPeer): Promise<void> {
  await expect(peer.waitFor('close by the engine', () => false, 5_000)).rejects.toThrow(
    /connection closed/,
  )
}

/** An honest raw leecher still gets the whole torrent from the engine. */
async function expectServesHonestPeer(s: Seeded): Promise<void> {
  const honest = await RawPeer.connect(s.port)
  try {
    honest.send(honest.handshakeBytes(s.t.infoHash, { extended: true }), msg.raw(MSG.interested))
    const got = await honest.fetchAll(s.t, s.hashes, 20_000)
    expect(got.equals(s.t.data)).toBe(true)
  } finally {
    honest.close()
  }
}

afterAll(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()))
  await Promise.all(dirs.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })))
})

describe('hostile peers against a seeding engine', () => {
  let s: Seeded
  beforeAll(async () => {
    s = await seed(SMALL)
  })

  for (const scenario of hostileScenarios.filter((x) => x.needsMetadata)) {
    it(`${scenario.name}: ${scenario.does} — that wire is dropped, the engine serves on`, async () => {
      const peer = await playHostile(scenario, {
        port: s.port,
        infoHash: s.t.infoHash,
        pieceCount: Math.ceil(SMALL / PIECE),
      })
      await expectDropped(peer)
      expect((await s.engine.getStats()).port).toBe(s.port)
      await expectServesHonestPeer(s)
    })
  }
})

describe('hostile peers against an engine fetching metadata by magnet', () => {
  let leech: TorrentEngine
  let port: number
  let infoHash: string
  beforeAll(async () => {
    const root = await tempDir('hostile-magnet')
    dirs.push(root)
    infoHash = randomBytes(20).toString('hex')
    leech = await openEngine(path.join(root, 'state'), path.join(root, 'dl'))
    engines.push(leech)
    await leech.addTorrent({ source: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${infoHash}` } })
    port = await portOf(leech)
  })

  for (const scenario of hostileScenarios.filter((x) => !x.needsMetadata)) {
    it(`${scenario.name}: ${scenario.does} — that wire is dropped, the engine lives`, async () => {
      const peer = await playHostile(scenario, { port, infoHash })
      await expectDropped(peer)
      const listed = await leech.listTorrents()
      expect(listed.map((t) => t.infoHash)).toContain(infoHash)
    })
  }
})

describe('budgets', () => {
  it('a leecher that floods requests and never reads costs the seeder little memory', async () => {
    const s = await seed(SIZE)
    const before = process.memoryUsage()
    let peak = 0
    let dropped = false
    const sampler = setInterval(() => {
      const m = process.memoryUsage()
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - (before.heapUsed + before.arrayBuffers))
    }, 25)
    try {
      // 24,000 requests of 16 KiB: ~390 MB if every one were read and queued for the socket
      const peer = await requestFloodNeverReading(
        {
          port: s.port,
          infoHash: s.t.infoHash,
          pieceCount: SIZE_PIECES,
          pieceLength: PIECE,
          size: SIZE,
        },
        { batches: 120, perBatch: 200, intervalMs: 20 },
      )
      dropped = peer.closed
      await new Promise((r) => setTimeout(r, 500))
      peer.close()
    } finally {
      clearInterval(sampler)
    }
    // with the budgets its requests queue up unread and it is dropped for exceeding the queue
    expect(dropped).toBe(true)
    expect(peak).toBeLessThan(48 * 1024 * 1024)
    await expectServesHonestPeer(s)
  })
})

describe('done when', () => {
  it('an honest download completes about as fast with hostile peers hammering the leecher', async () => {
    const s = await seed(SIZE)

    async function download(withHostiles: boolean): Promise<number> {
      const root = await tempDir('hostile-dl')
      dirs.push(root)
      const dl = path.join(root, 'dl')
      const leech = await openEngine(path.join(root, 'state'), dl, {
        peers: [`127.0.0.1:${s.port}`],
      })
      engines.push(leech)
      const lport = await portOf(leech)
      const started = Date.now()
      await leech.addTorrent({
        source: { kind: 'file', data: Buffer.from(s.torrent).toString('base64') },
      })
      const hostiles: RawPeer[] = []
      let stop = false
      const hammer = (async () => {
        // bounded: at most 10 rounds of every scenario, until the download is done
        for (let round = 0; withHostiles && !stop && round < 10; round++) {
          for (const scenario of hostileScenarios.filter((x) => x.needsMetadata)) {
            const target = { port: lport, infoHash: s.t.infoHash, pieceCount: SIZE_PIECES }
            hostiles.push(await playHostile(scenario, target))
          }
          await new Promise((r) => setTimeout(r, 100))
        }
      })()
      await waitForTorrent(leech, s.t.infoHash, (x) => x.status === 'seeding', 60_000)
      const took = Date.now() - started
      stop = true
      await hammer
      for (const h of hostiles) h.close()
      expect(await sha1File(path.join(dl, 'payload.bin'))).toBe(
        await sha1File(path.join(s.root, 'seed', 'payload.bin')),
      )
      return took
    }

    const baseline = await download(false)
    const hostile = await download(true)
    expect(hostile).toBeLessThan(baseline * 3 + 3_000)
  })
})
