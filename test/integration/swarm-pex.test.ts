/**
 * BEP 11 peer exchange between three Seedlings on 127.0.0.1, in a chain: A seeds, B knows A, C knows
 * only B. B selects no file, so it holds none of the data: C can complete only from A, and can only
 * have heard of A from B's PEX. A runs with PEX off: it would otherwise hear of C and dial it, and a
 * peer that dialled C shows in C's list by an ephemeral port, not A's address.
 * A raw peer connected to B checks what goes on the wire; for a private torrent (BEP 27), that nothing
 * does. The PEX interval is shortened (an internal backend knob) so several pass within seconds.
 */
import { promises as fs } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { BDict } from '../../src/main/engine/bencode'
import { decode } from '../../src/main/engine/bencode'
import { WebTorrentBackend } from '../../src/main/engine/backend/webtorrent-backend'
import { TorrentEngine } from '../../src/main/engine/engine'
import { decodeTorrentFile } from '../../src/main/engine/metainfo'
import {
  LOOPBACK_ONLY,
  fileSource,
  portOf,
  sha1File,
  startSeeder,
  tempDir,
  waitForTorrent,
} from './helpers/engines'
import { MSG, RawPeer, msg } from './helpers/raw-peer'
import { makeTorrentFixture } from '../support/torrent-builder'
import type { TorrentFixture } from '../support/torrent-builder'

const PEX_INTERVAL_MS = 300
/** The id the raw peer gives ut_pex in its extended handshake: every message with it is PEX. */
const RAW_UT_PEX = 7
const PIECE = 16 * 1024

async function openPexEngine(
  root: string,
  name: string,
  peers: string[],
  track: (e: TorrentEngine) => void,
): Promise<TorrentEngine> {
  const engine = await TorrentEngine.open(
    {
      stateDir: path.join(root, `${name}-state`),
      defaultDownloadDir: path.join(root, name),
      tickMs: 200,
      peers,
      overrides: { ...LOOPBACK_ONLY, pex: true, port: 0 },
    },
    new WebTorrentBackend(() => {}, { pexIntervalMs: PEX_INTERVAL_MS }),
  )
  track(engine)
  return engine
}

/** Peers in a compact IPv4 list as ip:port with their flags. */
function compactPeers(list: Uint8Array | undefined, flags: Uint8Array | undefined) {
  const out: Array<{ peer: string; flags: number }> = []
  const buf = Buffer.from(list ?? [])
  for (let i = 0; i + 6 <= buf.length; i += 6) {
    out.push({
      peer: `${[...buf.subarray(i, i + 4)].join('.')}:${buf.readUInt16BE(i + 4)}`,
      flags: flags?.[i / 6] ?? -1,
    })
  }
  return out
}

/** A raw peer on B that speaks ut_pex (and announces no listen port, so it is never passed on). */
async function pexListener(port: number, infoHash: string): Promise<RawPeer> {
  const raw = await RawPeer.connect(port)
  raw.send(
    raw.handshakeBytes(infoHash, { extended: true }),
    msg.extended(0, `d1:md6:ut_pexi${RAW_UT_PEX}eee`),
  )
  await raw.waitHandshake()
  return raw
}

function pexMessages(raw: RawPeer): BDict[] {
  return raw.received
    .filter((m) => m.id === MSG.extended && m.payload[0] === RAW_UT_PEX)
    .map((m) => decode(m.payload.subarray(1)).value as BDict)
}

async function peerPorts(engine: TorrentEngine, infoHash: string): Promise<number[]> {
  return (await engine.getTorrent({ infoHash })).peers.map((p) => p.port)
}

async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('peer exchange in a chain of three Seedlings', () => {
  const closers: Array<() => Promise<unknown>> = []
  const track = (e: TorrentEngine): void => {
    closers.push(() => e.close())
  }

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
  })

  /** A seeds; B (no file selected) dials A; C dials B. */
  async function chain(isPrivate: boolean): Promise<{
    fixture: TorrentFixture
    a: number
    b: TorrentEngine
    c: TorrentEngine
    cDir: string
    raw: RawPeer
  }> {
    const root = await tempDir('swarm-pex')
    closers.push(() => fs.rm(root, { recursive: true, force: true }))
    const { fixture, peer: aPeer } = await startSeeder(
      root,
      {
        files: [{ path: 'payload.bin', size: 12 * PIECE + 123 }],
        pieceLength: PIECE,
        seed: 'swarm-pex',
        private: isPrivate,
      },
      track,
    )
    const b = await openPexEngine(root, 'b', [aPeer], track)
    await b.addTorrent({ source: fileSource(fixture), selectedFiles: [] })
    const a = Number(aPeer.split(':')[1])
    await waitFor('B to connect to A', async () =>
      (await peerPorts(b, fixture.infoHash)).includes(a),
    )
    const bPort = await portOf(b)
    const c = await openPexEngine(root, 'c', [`127.0.0.1:${bPort}`], track)
    await c.addTorrent({ source: fileSource(fixture) })
    const raw = await pexListener(bPort, fixture.infoHash)
    closers.push(async () => raw.close())
    return { fixture, a, b, c, cDir: path.join(root, 'c'), raw }
  }

  it('C meets A through B and downloads from it byte-exact; B sends PEX by listen addresses', async () => {
    const { fixture, a, c, cDir, raw } = await chain(false)
    await waitForTorrent(c, fixture.infoHash, (s) => s.progress === 1, 30_000)
    expect(await peerPorts(c, fixture.infoHash)).toContain(a)
    const file = fixture.files[0]!
    expect(await sha1File(path.join(cDir, file.path))).toBe(await sha1File(file.absolutePath))

    // C is known to B only by an incoming connection: B passes on the port C announced (`p`).
    const cPort = await portOf(c)
    let added: Array<{ peer: string; flags: number }> = []
    await waitFor('B to tell the raw peer about A and C', () => {
      added = pexMessages(raw).flatMap((m) =>
        compactPeers(m.get('added') as Uint8Array, m.get('added.f') as Uint8Array),
      )
      return (
        added.some((p) => p.peer.endsWith(`:${cPort}`)) &&
        added.some((p) => p.peer.endsWith(`:${a}`))
      )
    })
    const aEntry = added.find((p) => p.peer === `127.0.0.1:${a}`)
    const cEntry = added.find((p) => p.peer === `127.0.0.1:${cPort}`)
    expect(aEntry!.flags & 0x10, 'A: dialled by B, so reachable').toBe(0x10)
    expect(cEntry!.flags & 0x10, 'C: it dialled B').toBe(0)
    const rawPort = raw.socket.localPort
    expect(added.map((p) => p.peer)).not.toContain(`127.0.0.1:${rawPort}`)
    expect(added.every((p) => p.peer.startsWith('127.0.0.1:'))).toBe(true)
  }, 60_000)

  it('a private torrent sends no PEX message, and C never hears of A', async () => {
    const { fixture, a, b, c, raw } = await chain(true)
    await waitFor(
      'C to connect to B',
      async () => (await peerPorts(b, fixture.infoHash)).length >= 3,
    )
    await new Promise((r) => setTimeout(r, 10 * PEX_INTERVAL_MS))
    expect(pexMessages(raw)).toEqual([])
    expect(raw.open).toBe(true)
    expect(await peerPorts(c, fixture.infoHash)).not.toContain(a)
    const summary = (await c.listTorrents()).find((t) => t.infoHash === fixture.infoHash)
    expect(summary?.progress).toBe(0)
  }, 60_000)

  /**
   * A magnet's wires speak ut_pex before the metadata tells whether the torrent is private. A raw peer
   * serves the metadata, then sends PEX naming a decoy listener: C dials it for a public torrent and
   * must not for a private one.
   */
  it.each([false, true])(
    'a magnet takes PEX peers until its metadata shows it is private (private: %s)',
    async (isPrivate) => {
      const root = await tempDir('swarm-pex-magnet')
      closers.push(() => fs.rm(root, { recursive: true, force: true }))
      const fixture = await makeTorrentFixture({
        dir: path.join(root, 'src'),
        files: [{ path: 'm.bin', size: 3 * PIECE }],
        pieceLength: PIECE,
        seed: 'swarm-pex-magnet',
        private: isPrivate,
      })
      const info = Buffer.from(decodeTorrentFile(fixture.torrentBuffer).infoBuffer)
      let dialled = 0
      const decoy = net.createServer((socket) => {
        dialled++
        socket.destroy()
      })
      await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve))
      closers.push(() => new Promise((resolve) => decoy.close(resolve)))
      const decoyPort = (decoy.address() as net.AddressInfo).port

      const listener = await RawPeer.listen()
      closers.push(async () => listener.server.close())
      const c = await openPexEngine(root, 'c', [`127.0.0.1:${listener.port}`], track)
      await c.addTorrent({
        source: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${fixture.infoHash}` },
      })
      const raw = await listener.accepted
      closers.push(async () => raw.close())
      raw.send(
        raw.handshakeBytes(fixture.infoHash, { extended: true }),
        msg.extended(
          0,
          `d1:md11:ut_metadatai3e6:ut_pexi${RAW_UT_PEX}ee13:metadata_sizei${info.length}ee`,
        ),
      )
      const theirs = await raw.waitFor('extended handshake', () =>
        raw.received.find((m) => m.id === MSG.extended && m.payload[0] === 0),
      )
      const ids = decode(theirs.payload.subarray(1)).value as BDict
      const m = ids.get('m') as BDict
      expect(m.get('ut_pex'), 'the magnet offers ut_pex before its metadata').toBeTypeOf('number')
      await raw.waitFor('a metadata request', () =>
        raw.received.find((r) => r.id === MSG.extended && r.payload[0] === 3),
      )
      raw.send(
        msg.extended(
          m.get('ut_metadata') as number,
          Buffer.concat([
            Buffer.from(`d8:msg_typei1e5:piecei0e10:total_sizei${info.length}ee`),
            info,
          ]),
        ),
      )
      await waitForTorrent(c, fixture.infoHash, (s) => s.hasMetadata, 20_000)

      const added = Buffer.from([127, 0, 0, 1, decoyPort >> 8, decoyPort & 0xff])
      raw.send(
        msg.extended(
          m.get('ut_pex') as number,
          Buffer.concat([
            Buffer.from('d5:added6:'),
            added,
            Buffer.from('7:added.f1:'),
            Buffer.from([0x10]),
            Buffer.from('e'),
          ]),
        ),
      )
      if (isPrivate) {
        // Long enough for a uTP attempt to time out (3 s) and the TCP dial that follows.
      await new Promise((r) => setTimeout(r, 8000))
        expect(dialled).toBe(0)
      } else {
        await waitFor('C to dial the peer from PEX', () => dialled > 0, 10_000)
      }
    },
    60_000,
  )
})
