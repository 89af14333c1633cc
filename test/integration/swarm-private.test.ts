/**
 * BEP 27: a private torrent uses its own trackers only, even with DHT, LSD and PEX on. The checks need
 * those on, so they run in a fresh network namespace (loopback only, multicast routed to it): the test
 * re-runs this file there, where a multicast listener hears LSD and a UDP socket posing as the only DHT
 * bootstrap node hears the DHT.
 */
import { execFile } from 'node:child_process'
import dgram from 'node:dgram'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { BDict } from '../../src/main/engine/bencode'
import { decode } from '../../src/main/engine/bencode'
import type { TorrentEngine } from '../../src/main/engine/engine'
import { makeTorrentFixture } from '../support/torrent-builder'
import type { TorrentFixture } from '../support/torrent-builder'
import { MSG, RawPeer, msg } from './helpers/raw-peer'
import { openEngine, portOf, tempDir, waitForTorrent } from './helpers/engines'

const INSIDE = process.env.SEEDLING_SWARM_NETNS === '1'
const LSD_GROUP = '239.192.152.143'
const LSD_PORT = 6771
const run = promisify(execFile)

describe.skipIf(INSIDE)('private torrents (BEP 27)', () => {
  it('keep off LSD, the DHT and PEX (checked in a fresh network namespace)', async (ctx) => {
    try {
      await run('unshare', ['-rn', 'true'], { timeout: 5_000 })
    } catch (err) {
      if (process.env.SEEDLING_REQUIRE_TOOLS) throw err
      ctx.skip(`no network namespace here: ${(err as Error).message}`)
    }
    const file = path.relative(process.cwd(), import.meta.filename)
    const script = [
      'ip link set lo up',
      'ip link set lo multicast on',
      `ip route add 224.0.0.0/4 dev lo`,
      `exec vitest run --project integration ${file}`,
    ].join(' && ')
    try {
      await run('unshare', ['-rn', 'bash', '-c', script], {
        env: { ...process.env, SEEDLING_SWARM_NETNS: '1' },
        timeout: 100_000,
      })
    } catch (err) {
      const { stdout, stderr } = err as { stdout?: string; stderr?: string }
      throw new Error(`the checks failed inside the namespace:\n${stdout ?? ''}\n${stderr ?? ''}`)
    }
  }, 120_000)
})

/** Every UDP datagram a socket receives, for the length of the test. */
async function listenUdp(
  port: number,
  group?: string,
): Promise<{ seen: Buffer[]; port: number; close(): void }> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true })
  const seen: Buffer[] = []
  socket.on('message', (m) => seen.push(m))
  await new Promise<void>((resolve) => socket.bind(port, group ? undefined : '127.0.0.1', resolve))
  if (group) socket.addMembership(group)
  return { seen, port: socket.address().port, close: () => socket.close() }
}

/** The `m` dictionary of the extended handshake the engine sends to a raw peer for this torrent. */
async function extensionsOffered(port: number, infoHash: string): Promise<string[]> {
  const peer = await RawPeer.connect(port)
  try {
    peer.send(peer.handshakeBytes(infoHash, { extended: true }), msg.extendedHandshake())
    const reply = await peer.waitFor('extended handshake', () =>
      peer.received.find((m) => m.id === MSG.extended && m.payload[0] === 0),
    )
    const dict = decode(reply.payload.subarray(1)).value as BDict
    return [...((dict.get('m') as BDict | undefined)?.keys() ?? [])]
  } finally {
    peer.socket.destroy()
  }
}

describe.runIf(INSIDE)('inside a fresh network namespace, DHT, LSD and PEX on', () => {
  const closers: Array<() => unknown> = []

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
  })

  it('a private torrent sends no LSD announce, no DHT query and offers no ut_pex', async () => {
    const root = await tempDir('swarm-private')
    closers.push(() => fs.rm(root, { recursive: true, force: true }))
    const lsd = await listenUdp(LSD_PORT, LSD_GROUP)
    closers.push(lsd.close)
    const bootstrap = await listenUdp(0)
    closers.push(bootstrap.close)
    const fixture = (name: string, isPrivate: boolean): Promise<TorrentFixture> =>
      makeTorrentFixture({
        dir: path.join(root, name),
        files: [{ path: `${name}.bin`, size: 40_000 }],
        pieceLength: 16384,
        seed: name,
        private: isPrivate,
      })
    const secret = await fixture('secret', true)
    const open = await fixture('open', false)
    const engine: TorrentEngine = await openEngine(path.join(root, 'state'), root, {
      overrides: { dht: true, lsd: true, pex: true },
      dhtBootstrap: [`127.0.0.1:${bootstrap.port}`],
    })
    closers.push(() => engine.close())
    for (const f of [secret, open]) {
      await engine.addTorrent({
        source: { kind: 'file', data: Buffer.from(f.torrentBuffer).toString('base64') },
        downloadDir: f.dataDir,
      })
      await waitForTorrent(engine, f.infoHash, (s) => s.status === 'seeding', 20_000)
    }

    const inLsd = (hash: string): boolean =>
      lsd.seen.some((m) => m.toString('latin1').toLowerCase().includes(hash))
    const inDht = (hash: string): boolean =>
      bootstrap.seen.some((m) => m.includes(Buffer.from(hash, 'hex')))
    const deadline = Date.now() + 20_000
    while (!(inLsd(open.infoHash) && inDht(open.infoHash)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(inLsd(open.infoHash), 'the public torrent is announced on LSD').toBe(true)
    expect(inDht(open.infoHash), 'the public torrent is looked up on the DHT').toBe(true)
    // Both were added before either announce was heard: a private announce would have come by now.
    await new Promise((r) => setTimeout(r, 1000))
    expect(inLsd(secret.infoHash), 'the private torrent on LSD').toBe(false)
    expect(inDht(secret.infoHash), 'the private torrent on the DHT').toBe(false)

    const port = await portOf(engine)
    expect(await extensionsOffered(port, open.infoHash)).toContain('ut_pex')
    expect(await extensionsOffered(port, secret.infoHash)).not.toContain('ut_pex')
  }, 60_000)
})
