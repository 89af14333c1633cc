// qbittorrent-nox seeds a multi-file torrent (nested folders, a zero-byte file, a piece that
// straddles files); Seedling downloads it over loopback, through opentracker or from a direct peer,
// and the result must be byte-identical. aria2c downloading the same torrent is the harness
// baseline: it proves the seeder and tracker work, whatever Seedling does.
// The other way round too: Seedling seeds and qbittorrent-nox (libtorrent) downloads from it, the
// peer given directly through the WebUI API (torrents/addPeers), no tracker.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downloadWithAria2 } from './harness/aria2'
import { assertTreesEqual, makeTempDir, makeTorrent, removeDir } from './harness/files'
import { sampleTree, writeSeededTree } from '../support/test-data'
import type { TorrentFileInfo } from './harness/files'
import { startOpentracker } from './harness/opentracker'
import type { OpenTracker } from './harness/opentracker'
import { skipWithoutTools } from '../support/external-tools'
import { killAll, timed } from './harness/proc'
import { startQbittorrent } from './harness/qbittorrent'
import type { Qbittorrent } from './harness/qbittorrent'
import {
  downloadWithSeedling,
  seedlingCliAvailable,
  startSeedlingSeed,
} from './harness/seedling-cli'

const cli = seedlingCliAvailable()

describe.skipIf(
  skipWithoutTools('interop', ['qbittorrent-nox', 'aria2c', 'opentracker', 'mktorrent']),
)('qbittorrent-nox seeds a multi-file torrent', () => {
  let root: string
  let src: string
  let torrentFile: string
  let meta: TorrentFileInfo
  let tracker: OpenTracker | undefined
  let qbt: Qbittorrent | undefined

  beforeAll(async () => {
    root = await makeTempDir('qbt-seeds')
    src = join(root, 'seed')
    await writeSeededTree(join(src, 'payload'), sampleTree(6), 'seedling')
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
    qbt = await startQbittorrent()
    // A real hash check, not skip_checking: qBittorrent itself must agree the data matches.
    await qbt.addTorrent(torrentFile, { savePath: src, skipChecking: false })
    await qbt.waitSeeding(meta.infoHash, 60_000)
    await tracker.waitForSeeders(meta.infoHash, 1, 30_000)
  })

  afterAll(async () => {
    await qbt?.stop()
    await tracker?.stop()
    await killAll()
    await removeDir(root)
  })

  it('harness baseline: aria2c downloads it byte-exact', async () => {
    const dir = join(root, 'dl-aria2')
    await mkdir(dir)
    await timed('aria2c download from qbittorrent', () =>
      downloadWithAria2({ torrentFile, dir, timeoutMs: 90_000, stallTimeoutS: 60 }),
    )
    await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
  })

  it.skipIf(!cli)(
    'Seedling downloads the .torrent via the loopback tracker, byte-exact',
    async () => {
      const dir = join(root, 'dl-seedling-tracker')
      const { run } = await timed('Seedling download (.torrent, tracker)', () =>
        downloadWithSeedling({ source: torrentFile, dir, timeoutMs: 180_000 }),
      )
      await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
      expect(run.proc.exitInfo?.code).toBe(0)
    },
  )

  it.skipIf(!cli)('Seedling downloads a bare magnet from a direct peer, byte-exact', async () => {
    // No tracker at all: metadata (ut_metadata) and data both come from qbittorrent via --peer.
    const dir = join(root, 'dl-seedling-magnet')
    await timed('Seedling download (magnet, --peer)', () =>
      downloadWithSeedling({
        source: `magnet:?xt=urn:btih:${meta.infoHash}`,
        dir,
        peers: [`127.0.0.1:${qbt?.port}`],
        timeoutMs: 180_000,
      }),
    )
    await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
  })
})

describe.skipIf(skipWithoutTools('interop', ['qbittorrent-nox', 'mktorrent']))(
  'qbittorrent-nox downloads what Seedling seeds',
  () => {
    let root: string
    let qbt: Qbittorrent | undefined

    beforeAll(async () => {
      root = await makeTempDir('qbt-leech')
    })

    afterAll(async () => {
      await qbt?.stop()
      await killAll()
      await removeDir(root)
    })

    it.skipIf(!cli)('from a direct peer address, byte-exact', async () => {
      const src = join(root, 'seed')
      await writeSeededTree(join(src, 'payload'), sampleTree(5), 'reverse')
      const torrentFile = join(root, 'reverse.torrent')
      // The announce URL points at a closed port: peers come only from addPeers.
      const meta = await makeTorrent({
        target: join(src, 'payload'),
        out: torrentFile,
        announce: ['http://127.0.0.1:1/announce'],
        pieceLengthExp: 15,
      })
      const seed = await timed('Seedling seed start', () =>
        startSeedlingSeed({ source: torrentFile, dir: src }),
      )
      try {
        expect(seed.infoHash).toBe(meta.infoHash)
        qbt = await startQbittorrent()
        const dir = join(root, 'dl-qbt')
        await mkdir(dir)
        await qbt.addTorrent(torrentFile, { savePath: dir })
        await qbt.addPeers(meta.infoHash, [`127.0.0.1:${seed.port}`])
        await timed('qbittorrent download from Seedling', () =>
          qbt!.waitComplete(meta.infoHash, 120_000),
        )
        await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
      } finally {
        await seed.stop()
      }
    })
  },
)
