// transmission-daemon (3.00) against Seedling on loopback, byte-exact both ways:
//  1. transmission seeds a multi-file torrent (nested folders, a zero-byte file, pieces straddling
//     files); Seedling downloads it through opentracker, then from a bare magnet with transmission's
//     peer port given directly (--peer), so the metadata (ut_metadata) comes from transmission too.
//  2. Seedling seeds; transmission downloads it, from the .torrent and from a magnet (metadata from
//     Seedling). Transmission's RPC cannot add a peer, so it finds Seedling through opentracker.
//  3. transmission with "encryption": 2 (required) seeds; Seedling with its default (prefer) must
//     get in over MSE/PE and download it.
// While a transfer runs, the peers transmission sees are sampled through torrent-get and logged
// (client name, flags: E encrypted, T uTP, I incoming), which shows how the two clients connected.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  assertTreesEqual,
  makeTempDir,
  makeTorrent,
  makeTree,
  removeDir,
  sampleTree,
} from './harness/files'
import type { TorrentFileInfo } from './harness/files'
import { startOpentracker } from './harness/opentracker'
import type { OpenTracker } from './harness/opentracker'
import { killAll, requireTools, sleep, timed } from './harness/proc'
import {
  downloadWithSeedling,
  seedlingCliAvailable,
  startSeedlingSeed,
} from './harness/seedling-cli'
import type { SeedlingSeed } from './harness/seedling-cli'
import { peerSummary, startTransmission } from './harness/transmission'
import type { Transmission, TrPeer } from './harness/transmission'

const cli = seedlingCliAvailable()
if (!cli)
  console.warn(
    '[interop] Seedling CLI not available (no src/main/cli/index.ts, or SEEDLING_CLI=none): Seedling cases skipped',
  )

/** Samples transmission's peer list for `hash` until stopped; returns each distinct peer once. */
function watchPeers(tr: Transmission, hash: string): { stop(): Promise<TrPeer[]> } {
  const seen = new Map<string, TrPeer>()
  let running = true
  const loop = (async () => {
    while (running) {
      try {
        for (const p of (await tr.get(hash))?.peers ?? []) {
          seen.set(`${p.clientName}|${p.flagStr}|${p.isEncrypted}|${p.isUTP}|${p.isIncoming}`, p)
        }
      } catch {
        // the daemon may be busy or gone; the transfer's own checks report real failures
      }
      await sleep(250)
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return [...seen.values()]
    },
  }
}

async function withPeerLog<T>(
  label: string,
  tr: Transmission,
  hash: string,
  fn: () => Promise<T>,
): Promise<{ result: T; peers: TrPeer[] }> {
  const watch = watchPeers(tr, hash)
  let peers: TrPeer[] = []
  try {
    const result = await fn()
    peers = await watch.stop()
    return { result, peers }
  } finally {
    if (!peers.length) peers = await watch.stop()
    console.log(`[interop] ${label}: transmission saw ${peerSummary(peers) || 'no peers'}`)
  }
}

describe('transmission-daemon seeds a multi-file torrent', () => {
  let root: string
  let src: string
  let torrentFile: string
  let meta: TorrentFileInfo
  let tracker: OpenTracker | undefined
  let tr: Transmission | undefined

  beforeAll(async () => {
    requireTools(['transmission-daemon', 'opentracker', 'mktorrent'])
    root = await makeTempDir('tr-seeds')
    src = join(root, 'seed')
    await makeTree(join(src, 'payload'), sampleTree(6), 'transmission-seeds')
    tracker = await startOpentracker()
    torrentFile = join(root, 'payload.torrent')
    // 32 KiB pieces: many pieces span two or three files.
    meta = await makeTorrent({
      target: join(src, 'payload'),
      out: torrentFile,
      announce: [tracker.announceUrl],
      pieceLengthExp: 15,
    })
    expect(meta.files.some((f) => f.size === 0)).toBe(true)
    await tracker.allow([meta.infoHash])
    tr = await startTransmission({ utp: true })
    // transmission hashes the existing files itself before it seeds them.
    const added = await tr.addTorrent(torrentFile, { downloadDir: src })
    expect(added.hash).toBe(meta.infoHash)
    await timed('transmission hash check + seeding', () => tr!.waitSeeding(meta.infoHash, 60_000))
    await tracker.waitForSeeders(meta.infoHash, 1, 30_000)
  })

  afterAll(async () => {
    await tr?.stop()
    await tracker?.stop()
    await killAll()
    await removeDir(root)
  })

  it.skipIf(!cli)(
    'Seedling downloads the .torrent via the loopback tracker, byte-exact',
    async () => {
      const dir = join(root, 'dl-tracker')
      const { peers } = await withPeerLog('tracker download', tr!, meta.infoHash, () =>
        timed('Seedling download from transmission (.torrent, tracker)', () =>
          downloadWithSeedling({ source: torrentFile, dir, timeoutMs: 180_000 }),
        ),
      )
      await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
      expect(peers.length).toBeGreaterThan(0)
    },
  )

  it.skipIf(!cli)('Seedling downloads a bare magnet from its peer port, byte-exact', async () => {
    // No tracker: metadata (ut_metadata) and data both come from transmission via --peer.
    const dir = join(root, 'dl-magnet')
    await withPeerLog('magnet download', tr!, meta.infoHash, () =>
      timed('Seedling download from transmission (magnet, --peer)', () =>
        downloadWithSeedling({
          source: `magnet:?xt=urn:btih:${meta.infoHash}`,
          dir,
          peers: [`127.0.0.1:${tr!.peerPort}`],
          timeoutMs: 180_000,
        }),
      ),
    )
    await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
  })
})

describe('transmission-daemon downloads what Seedling seeds', () => {
  let root: string
  let tracker: OpenTracker | undefined
  let tr: Transmission | undefined
  const seeds: SeedlingSeed[] = []

  beforeAll(async () => {
    requireTools(['transmission-daemon', 'opentracker', 'mktorrent'])
    root = await makeTempDir('tr-leech')
    tracker = await startOpentracker()
    tr = await startTransmission({ utp: true })
  })

  afterAll(async () => {
    for (const s of seeds) await s.stop()
    await tr?.stop()
    await tracker?.stop()
    await killAll()
    await removeDir(root)
  })

  /** Seedling seeds a fresh mktorrent torrent (announcing to opentracker) until the test ends. */
  async function seedWithSeedling(
    name: string,
    totalMiB: number,
  ): Promise<{ src: string; torrentFile: string; meta: TorrentFileInfo; seed: SeedlingSeed }> {
    const src = join(root, `seed-${name}`)
    await makeTree(join(src, 'payload'), sampleTree(totalMiB), `transmission-${name}`)
    const torrentFile = join(root, `${name}.torrent`)
    const meta = await makeTorrent({
      target: join(src, 'payload'),
      out: torrentFile,
      announce: [tracker!.announceUrl],
      pieceLengthExp: 15,
    })
    await tracker!.allow([meta.infoHash])
    const seed = await timed(`Seedling seed start (${name})`, () =>
      startSeedlingSeed({ source: torrentFile, dir: src }),
    )
    seeds.push(seed)
    expect(seed.infoHash).toBe(meta.infoHash)
    await tracker!.waitForSeeders(meta.infoHash, 1, 60_000)
    return { src, torrentFile, meta, seed }
  }

  it.skipIf(!cli)('from the .torrent, peers via opentracker, byte-exact', async () => {
    const { src, torrentFile, meta, seed } = await seedWithSeedling('torrent', 5)
    const dir = join(root, 'dl-torrent')
    await mkdir(dir)
    await tr!.addTorrent(torrentFile, { downloadDir: dir })
    await withPeerLog('transmission download (.torrent)', tr!, meta.infoHash, () =>
      timed('transmission download from Seedling (.torrent)', () =>
        tr!.waitSeeding(meta.infoHash, 180_000),
      ),
    )
    // Stopping the torrent flushes transmission's write cache and closes its files.
    await tr!.stopTorrent(meta.infoHash)
    await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
    await tr!.remove(meta.infoHash)
    await timed('Seedling seed stop', () => seed.stop())
  })

  it.skipIf(!cli)(
    'from a magnet, metadata from Seedling (ut_metadata), byte-exact',
    async () => {
      const { src, meta, seed } = await seedWithSeedling('magnet', 3)
      const dir = join(root, 'dl-magnet')
      await mkdir(dir)
      const magnet =
        `magnet:?xt=urn:btih:${meta.infoHash}&dn=payload` +
        `&tr=${encodeURIComponent(tracker!.announceUrl)}`
      await tr!.addTorrent(magnet, { downloadDir: dir })
      await withPeerLog('transmission download (magnet)', tr!, meta.infoHash, () =>
        timed('transmission download from Seedling (magnet)', () =>
          tr!.waitSeeding(meta.infoHash, 180_000),
        ),
      )
      await tr!.stopTorrent(meta.infoHash)
      await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
      await tr!.remove(meta.infoHash)
      await timed('Seedling seed stop', () => seed.stop())
    },
  )
})

describe('transmission-daemon with encryption required seeds', () => {
  let root: string
  let src: string
  let torrentFile: string
  let meta: TorrentFileInfo
  let tracker: OpenTracker | undefined
  let tr: Transmission | undefined

  beforeAll(async () => {
    requireTools(['transmission-daemon', 'opentracker', 'mktorrent'])
    root = await makeTempDir('tr-enc')
    src = join(root, 'seed')
    await makeTree(join(src, 'payload'), sampleTree(3), 'transmission-encrypted')
    tracker = await startOpentracker()
    torrentFile = join(root, 'payload.torrent')
    meta = await makeTorrent({
      target: join(src, 'payload'),
      out: torrentFile,
      announce: [tracker.announceUrl],
      pieceLengthExp: 15,
    })
    await tracker.allow([meta.infoHash])
    tr = await startTransmission({ encryption: 2, utp: false })
    await tr.addTorrent(torrentFile, { downloadDir: src })
    await tr.waitSeeding(meta.infoHash, 60_000)
    await tracker.waitForSeeders(meta.infoHash, 1, 30_000)
  })

  afterAll(async () => {
    await tr?.stop()
    await tracker?.stop()
    await killAll()
    await removeDir(root)
  })

  it.skipIf(!cli)('Seedling (encryption prefer) downloads it over MSE/PE, byte-exact', async () => {
    const dir = join(root, 'dl')
    const { peers } = await withPeerLog('encrypted download', tr!, meta.infoHash, () =>
      timed('Seedling download from transmission (encryption required)', () =>
        downloadWithSeedling({ source: torrentFile, dir, timeoutMs: 180_000 }),
      ),
    )
    await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
    // Every connection transmission accepted was encrypted (it drops plaintext handshakes).
    expect(peers.length).toBeGreaterThan(0)
    expect(peers.every((p) => p.isEncrypted)).toBe(true)
  })
})
