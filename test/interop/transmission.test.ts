// transmission-daemon (3.00) against Seedling on loopback, byte-exact both ways:
//  1. transmission seeds a multi-file torrent (nested folders, a zero-byte file, pieces straddling
//     files); Seedling downloads it through opentracker, then from a bare magnet with transmission's
//     peer port given directly (--peer), so the metadata (ut_metadata) comes from transmission too.
//  2. Seedling seeds; transmission downloads it, from the .torrent (Seedling finds transmission
//     through opentracker) and from a bare magnet (Seedling is given transmission's address with
//     --peer; the metadata comes from Seedling).
//  3. transmission with "encryption": 2 (required) seeds; Seedling with its default (prefer) must
//     get in over MSE/PE and download it.
// Transmission ignores loopback peers handed out by a tracker and keeps one peer per IP address (see
// harness/transmission.ts): Seedling always dials transmission, and every case gets a fresh daemon
// (and, where transmission seeds, a fresh tracker). aria2c downloading from transmission is the
// harness baseline: it proves the seeder and tracker work, whatever Seedling does.
// While a transfer runs, the peers transmission sees are sampled through torrent-get and logged
// (client name, flags: E encrypted, T uTP, I incoming, U/D uploading/downloading).
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downloadWithAria2 } from './harness/aria2'
import { assertTreesEqual, diffTrees, makeTempDir, makeTorrent, removeDir } from './harness/files'
import { sampleTree, writeSeededTree } from '../support/test-data'
import type { TorrentFileInfo } from './harness/files'
import { startOpentracker } from './harness/opentracker'
import type { OpenTracker } from './harness/opentracker'
import { skipWithoutTools } from '../support/external-tools'
import { killAll, sleep, timed } from './harness/proc'
import {
  downloadWithSeedling,
  seedlingCliAvailable,
  startSeedlingSeed,
} from './harness/seedling-cli'
import type { SeedlingSeed } from './harness/seedling-cli'
import { peerSummary, startTransmission } from './harness/transmission'
import type { Transmission, TransmissionOptions, TrPeer } from './harness/transmission'

const cli = seedlingCliAvailable()

/** Samples transmission's peer list for `hash` until stopped; returns each distinct peer state once. */
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
  let result: Promise<TrPeer[]> | undefined
  return {
    stop() {
      running = false
      result ??= loop.then(() => [...seen.values()])
      return result
    },
  }
}

/** Runs `fn` while sampling transmission's peers; logs them whatever the outcome. */
async function withPeerLog<T>(
  label: string,
  tr: Transmission,
  hash: string,
  fn: () => Promise<T>,
): Promise<{ result: T; peers: TrPeer[] }> {
  const watch = watchPeers(tr, hash)
  try {
    const result = await fn()
    return { result, peers: await watch.stop() }
  } finally {
    const peers = await watch.stop()
    console.log(`[interop] ${label}: transmission saw ${peerSummary(peers) || 'no peers'}`)
  }
}

/**
 * Byte-exact compare of what transmission downloaded. Transmission before 4.1 never creates the
 * zero-byte files of a torrent (transmission/transmission#417, fixed by #6232), so a missing
 * zero-byte file is the one difference allowed; anything else fails.
 */
async function assertTransmissionTree(
  expected: string,
  actual: string,
  meta: TorrentFileInfo,
): Promise<void> {
  const empty = new Set(meta.files.filter((f) => f.size === 0).map((f) => f.path))
  const diffs = await diffTrees(expected, actual)
  const allowed = diffs.filter((d) => d.startsWith('missing: ') && empty.has(d.slice(9)))
  const real = diffs.filter((d) => !allowed.includes(d))
  if (allowed.length) console.log(`[interop] transmission left out zero-byte files: ${allowed}`)
  if (real.length) {
    throw new Error(`trees differ (${expected} vs ${actual}):\n  ${real.slice(0, 50).join('\n  ')}`)
  }
}

interface SeederCase {
  tracker: OpenTracker
  torrentFile: string
  meta: TorrentFileInfo
  tr: Transmission
}

/**
 * A fresh opentracker and a fresh transmission-daemon seeding `src/payload` (hash-checked by
 * transmission itself, announced to the tracker), for one case; both are stopped afterwards.
 */
async function withTransmissionSeeding(
  root: string,
  src: string,
  name: string,
  opts: TransmissionOptions,
  fn: (c: SeederCase) => Promise<void>,
): Promise<void> {
  let tracker: OpenTracker | undefined
  let tr: Transmission | undefined
  try {
    tracker = await startOpentracker()
    const torrentFile = join(root, `${name}.torrent`)
    // 32 KiB pieces: many pieces span two or three files.
    const meta = await makeTorrent({
      target: join(src, 'payload'),
      out: torrentFile,
      announce: [tracker.announceUrl],
      pieceLengthExp: 15,
    })
    expect(meta.files.some((f) => f.size === 0)).toBe(true)
    await tracker.allow([meta.infoHash])
    tr = await startTransmission(opts)
    const added = await tr.addTorrent(torrentFile, { downloadDir: src })
    expect(added.hash).toBe(meta.infoHash)
    await timed(`transmission hash check (${name})`, () => tr!.waitSeeding(meta.infoHash, 60_000))
    await tr.waitAnnounced(meta.infoHash, 30_000)
    await tracker.waitForSeeders(meta.infoHash, 1, 30_000)
    await fn({ tracker, torrentFile, meta, tr })
  } finally {
    if (tr) await timed('transmission stop', () => tr!.stop())
    await tracker?.stop()
  }
}

describe.skipIf(
  skipWithoutTools('interop', ['transmission-daemon', 'aria2c', 'opentracker', 'mktorrent']),
)('transmission-daemon seeds a multi-file torrent', () => {
  let root: string
  let src: string

  beforeAll(async () => {
    root = await makeTempDir('tr-seeds')
    src = join(root, 'seed')
    await writeSeededTree(join(src, 'payload'), sampleTree(6), 'transmission-seeds')
  })

  afterAll(async () => {
    await killAll()
    await removeDir(root)
  })

  it('harness baseline: aria2c downloads it byte-exact', async () => {
    await withTransmissionSeeding(root, src, 'aria2', { utp: true }, async ({ torrentFile }) => {
      const dir = join(root, 'dl-aria2')
      await mkdir(dir)
      await timed('aria2c download from transmission', () =>
        downloadWithAria2({ torrentFile, dir, timeoutMs: 90_000, stallTimeoutS: 60 }),
      )
      await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
    })
  })

  it.skipIf(!cli)(
    'Seedling downloads the .torrent via the loopback tracker, byte-exact',
    async () => {
      await withTransmissionSeeding(root, src, 'tracker', { utp: true }, async (c) => {
        const dir = join(root, 'dl-tracker')
        const { peers } = await withPeerLog('tracker download', c.tr, c.meta.infoHash, () =>
          timed('Seedling download from transmission (.torrent, tracker)', () =>
            downloadWithSeedling({ source: c.torrentFile, dir, timeoutMs: 180_000 }),
          ),
        )
        await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
        expect(peers.length).toBeGreaterThan(0)
      })
    },
  )

  it.skipIf(!cli)('Seedling downloads a bare magnet from its peer port, byte-exact', async () => {
    await withTransmissionSeeding(root, src, 'magnet', { utp: true }, async (c) => {
      // No tracker: metadata (ut_metadata) and data both come from transmission via --peer.
      const dir = join(root, 'dl-magnet')
      await withPeerLog('magnet download', c.tr, c.meta.infoHash, () =>
        timed('Seedling download from transmission (magnet, --peer)', () =>
          downloadWithSeedling({
            source: `magnet:?xt=urn:btih:${c.meta.infoHash}`,
            dir,
            peers: [`${c.tr.peerHost}:${c.tr.peerPort}`],
            timeoutMs: 180_000,
          }),
        ),
      )
      await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
    })
  })
})

describe.skipIf(skipWithoutTools('interop', ['transmission-daemon', 'opentracker', 'mktorrent']))(
  'transmission-daemon downloads what Seedling seeds',
  () => {
    let root: string
    let tracker: OpenTracker | undefined
    const daemons: Transmission[] = []
    const seeds: SeedlingSeed[] = []

    beforeAll(async () => {
      root = await makeTempDir('tr-leech')
      tracker = await startOpentracker()
    })

    afterAll(async () => {
      for (const s of seeds) await s.stop()
      for (const d of daemons) await d.stop()
      await tracker?.stop()
      await killAll()
      await removeDir(root)
    })

    /** Fresh data (its own info hash) and a .torrent announcing to opentracker. */
    async function prepare(
      name: string,
      totalMiB: number,
    ): Promise<{ src: string; torrentFile: string; meta: TorrentFileInfo }> {
      const src = join(root, `seed-${name}`)
      await writeSeededTree(join(src, 'payload'), sampleTree(totalMiB), `transmission-${name}`)
      const torrentFile = join(root, `${name}.torrent`)
      const meta = await makeTorrent({
        target: join(src, 'payload'),
        out: torrentFile,
        announce: [tracker!.announceUrl],
        pieceLengthExp: 15,
      })
      await tracker!.allow([meta.infoHash])
      return { src, torrentFile, meta }
    }

    async function leecher(): Promise<Transmission> {
      const tr = await startTransmission({ utp: true })
      daemons.push(tr)
      return tr
    }

    async function seed(o: Parameters<typeof startSeedlingSeed>[0]): Promise<SeedlingSeed> {
      const s = await timed('Seedling seed start', () => startSeedlingSeed(o))
      seeds.push(s)
      return s
    }

    it.skipIf(!cli)(
      'from the .torrent, Seedling finding it via opentracker, byte-exact',
      async () => {
        const { src, torrentFile, meta } = await prepare('torrent', 5)
        // transmission first: it announces as a leecher, so Seedling's first announce returns it.
        // (transmission itself never dials the 127.0.0.1 peers a tracker gives it.)
        const tr = await leecher()
        const dir = join(root, 'dl-torrent')
        await mkdir(dir)
        await tr.addTorrent(torrentFile, { downloadDir: dir })
        await tr.waitAnnounced(meta.infoHash, 30_000)
        const s = await seed({ source: torrentFile, dir: src })
        expect(s.infoHash).toBe(meta.infoHash)
        const { peers } = await withPeerLog(
          'transmission download (.torrent)',
          tr,
          meta.infoHash,
          () =>
            timed('transmission download from Seedling (.torrent, tracker)', () =>
              tr.waitSeeding(meta.infoHash, 180_000),
            ),
        )
        expect(peers.length).toBeGreaterThan(0)
        // Stopping the torrent flushes transmission's write cache and closes its files.
        await tr.stopTorrent(meta.infoHash)
        await assertTransmissionTree(join(src, 'payload'), join(dir, 'payload'), meta)
        await timed('transmission stop', () => tr.stop())
        await timed('Seedling seed stop', () => s.stop())
      },
    )

    it.skipIf(!cli)(
      'from a bare magnet, metadata from Seedling (ut_metadata, --peer), byte-exact',
      async () => {
        const { src, torrentFile, meta } = await prepare('magnet', 3)
        const tr = await leecher()
        const dir = join(root, 'dl-magnet')
        await mkdir(dir)
        // No tracker in the magnet: transmission has only the hash until Seedling dials in.
        await tr.addTorrent(`magnet:?xt=urn:btih:${meta.infoHash}`, { downloadDir: dir })
        const s = await seed({
          source: torrentFile,
          dir: src,
          peers: [`${tr.peerHost}:${tr.peerPort}`],
        })
        await withPeerLog('transmission download (magnet)', tr, meta.infoHash, () =>
          timed('transmission download from Seedling (magnet, --peer)', () =>
            tr.waitSeeding(meta.infoHash, 180_000),
          ),
        )
        await tr.stopTorrent(meta.infoHash)
        await assertTransmissionTree(join(src, 'payload'), join(dir, 'payload'), meta)
        await timed('transmission stop', () => tr.stop())
        await timed('Seedling seed stop', () => s.stop())
      },
    )
  },
)

describe.skipIf(skipWithoutTools('interop', ['transmission-daemon', 'opentracker', 'mktorrent']))(
  'transmission-daemon with encryption required seeds',
  () => {
    let root: string
    let src: string

    beforeAll(async () => {
      root = await makeTempDir('tr-enc')
      src = join(root, 'seed')
      await writeSeededTree(join(src, 'payload'), sampleTree(3), 'transmission-encrypted')
    })

    afterAll(async () => {
      await killAll()
      await removeDir(root)
    })

    it.skipIf(!cli)(
      'Seedling (encryption prefer) downloads it over MSE/PE, byte-exact',
      async () => {
        // TCP only here, so the case is about MSE/PE and nothing else.
        await withTransmissionSeeding(
          root,
          src,
          'encrypted',
          { encryption: 2, utp: false },
          async (c) => {
            const dir = join(root, 'dl')
            const { peers } = await withPeerLog('encrypted download', c.tr, c.meta.infoHash, () =>
              timed('Seedling download from transmission (encryption required)', () =>
                downloadWithSeedling({ source: c.torrentFile, dir, timeoutMs: 180_000 }),
              ),
            )
            await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
            // Every connection transmission kept was encrypted (it drops plaintext handshakes).
            expect(peers.length).toBeGreaterThan(0)
            expect(peers.every((p) => p.isEncrypted)).toBe(true)
          },
        )
      },
    )
  },
)
