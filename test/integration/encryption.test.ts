// Encryption policies (prefer / require / disable) between two engines on loopback, all 9
// combinations: which connect and transfer, and whether the peer list says `encrypted`. Plus raw
// sockets checking that `require` refuses a plaintext handshake and `disable` an MSE/PE one, and that
// `prefer` falls back to plaintext for a peer that drops the encrypted handshake.
import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EncryptionPolicy } from '../../src/shared/api'
import { createTorrentFile } from '../../src/main/engine/create'
import type { TorrentEngine } from '../../src/main/engine/engine'
import { openEngine, portOf, sha1File, tempDir, waitForTorrent } from './helpers/engines'
import { writeSeededFile } from '../support/test-data'
import { MSG, RawPeer, msg } from './helpers/raw-peer'

const SIZE = 300_000
const PIECE = 32 * 1024

// leecher policy -> seeder policy -> expected outcome (null: must not connect)
const EXPECTED: Record<
  EncryptionPolicy,
  Record<EncryptionPolicy, { encrypted: boolean } | null>
> = {
  disable: { disable: { encrypted: false }, prefer: { encrypted: false }, require: null },
  prefer: {
    disable: { encrypted: false }, // MSE refused, plaintext retry
    prefer: { encrypted: true },
    require: { encrypted: true },
  },
  require: { disable: null, prefer: { encrypted: true }, require: { encrypted: true } },
}

describe('encryption policies', () => {
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

  let seeders = 0
  async function seeder(policy: EncryptionPolicy, peerPort?: number) {
    const root = await tempDir(`enc-${policy}`)
    dirs.push(root)
    const file = path.join(root, 'seed', 'payload.bin')
    await fs.mkdir(path.dirname(file), { recursive: true })
    await writeSeededFile(file, SIZE, `encryption-${policy}`, String(++seeders))
    const { torrent, decoded } = await createTorrentFile({ path: file, pieceLength: PIECE })
    const engine = await openEngine(path.join(root, 'state'), path.join(root, 'seed'), {
      overrides: { encryption: policy },
      peers: peerPort ? [`127.0.0.1:${peerPort}`] : [],
    })
    engines.push(engine)
    const infoHash = decoded.meta.infoHash
    await engine.addTorrent({
      source: { kind: 'file', data: Buffer.from(torrent).toString('base64') },
      downloadDir: path.join(root, 'seed'),
    })
    await waitForTorrent(engine, infoHash, (s) => s.status === 'seeding')
    return { root, file, torrent, infoHash, engine, port: await portOf(engine) }
  }

  async function peersOf(engine: TorrentEngine, infoHash: string) {
    return (await engine.getTorrent({ infoHash })).peers
  }

  for (const leechPolicy of ['disable', 'prefer', 'require'] as const) {
    for (const seedPolicy of ['disable', 'prefer', 'require'] as const) {
      const expected = EXPECTED[leechPolicy][seedPolicy]
      const title = expected
        ? `leecher ${leechPolicy} + seeder ${seedPolicy}: transfers, encrypted=${expected.encrypted}`
        : `leecher ${leechPolicy} + seeder ${seedPolicy}: never connects`
      it(title, async () => {
        const s = await seeder(seedPolicy)
        const root = await tempDir(`enc-leech-${leechPolicy}`)
        dirs.push(root)
        const leecher = await openEngine(path.join(root, 'state'), path.join(root, 'dl'), {
          overrides: { encryption: leechPolicy },
          peers: [`127.0.0.1:${s.port}`],
        })
        engines.push(leecher)
        await leecher.addTorrent({
          source: { kind: 'file', data: Buffer.from(s.torrent).toString('base64') },
        })
        if (!expected) {
          // 8 s covers the first attempts (uTP, TCP, and a plaintext retry where one applies)
          await new Promise((r) => setTimeout(r, 8_000))
          const [t] = await leecher.listTorrents()
          expect(t?.progress).toBe(0)
          expect(await peersOf(leecher, s.infoHash)).toEqual([])
          expect(await peersOf(s.engine, s.infoHash)).toEqual([])
          return
        }
        await waitForTorrent(leecher, s.infoHash, (t) => t.status === 'seeding', 30_000)
        expect(await sha1File(path.join(root, 'dl', 'payload.bin'))).toBe(await sha1File(s.file))
        // both ends must report the connection the same way
        for (const engine of [leecher, s.engine]) {
          const deadline = Date.now() + 10_000
          let list = await peersOf(engine, s.infoHash)
          while (list.length === 0 && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 100))
            list = await peersOf(engine, s.infoHash)
          }
          expect(list.length).toBeGreaterThan(0)
          for (const p of list) expect(p.encrypted).toBe(expected.encrypted)
        }
      })
    }
  }

  it('require refuses an incoming plaintext handshake', async () => {
    const s = await seeder('require')
    const p = await RawPeer.connect(s.port)
    peers.push(p)
    p.send(p.handshakeBytes(s.infoHash, { extended: true, fast: true }), msg.raw(MSG.interested))
    await p.waitFor('close', () => p.closed, 10_000).catch(() => undefined)
    expect(p.closed).toBe(true)
    expect(p.peerHandshake).toBeNull()
  })

  it('disable refuses an incoming MSE/PE handshake (Diffie-Hellman key first)', async () => {
    const s = await seeder('disable')
    const p = await RawPeer.connect(s.port)
    peers.push(p)
    p.send(randomBytes(96 + 100)) // Ya + PadA
    await p.waitFor('close', () => p.closed, 10_000).catch(() => undefined)
    expect(p.closed).toBe(true)
    expect(p.peerHandshake).toBeNull()
  })

  it('prefer retries in plaintext a peer that drops the encrypted handshake, and transfers', async () => {
    const listener = await RawPeer.listen()
    servers.push(listener.server)
    const s = await seeder('prefer', listener.port)
    const p = await Promise.race([
      listener.accepted,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no plaintext retry within 15 s')), 15_000),
      ),
    ])
    peers.push(p)
    expect(listener.refused()).toBeGreaterThanOrEqual(1) // the MSE attempt
    p.send(p.handshakeBytes(s.infoHash, { extended: true }), msg.raw(MSG.interested))
    await p.waitMessage(MSG.unchoke, 0, 10_000)
    expect(p.open).toBe(true)
  })

  it('require never falls back to plaintext for such a peer', async () => {
    const listener = await RawPeer.listen()
    servers.push(listener.server)
    await seeder('require', listener.port)
    const winner = await Promise.race([
      listener.accepted.then(() => 'plaintext'),
      new Promise((r) => setTimeout(() => r('none'), 8_000)),
    ])
    expect(winner).toBe('none')
    expect(listener.refused()).toBeGreaterThanOrEqual(1)
  })
})
