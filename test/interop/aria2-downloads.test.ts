// Seedling seeds; aria2c downloads over loopback; the result must be byte-identical.
//  1. Seedling seeds data for an existing .torrent (made by mktorrent), aria2c finds it through
//     opentracker (Debian's is whitelist-only: the hash is known in advance).
//  2. Seedling creates the torrent itself from a folder and seeds it; aria2c starts from the magnet
//     URI Seedling prints, so metadata (ut_metadata) also comes from Seedling. The hash is only known
//     once Seedling prints it, so this one uses the open bittorrent-tracker server on 127.0.0.1.
// aria2c cannot be handed a peer address, so a tracker is always involved.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downloadWithAria2, startAria2Seed } from './harness/aria2'
import { assertTreesEqual, makeTempDir, makeTorrent, removeDir } from './harness/files'
import { sampleTree, writeSeededTree } from '../support/test-data'
import { startJsTracker } from './harness/js-tracker'
import type { JsTracker } from './harness/js-tracker'
import { startOpentracker } from './harness/opentracker'
import type { OpenTracker } from './harness/opentracker'
import { skipWithoutTools } from '../support/external-tools'
import { killAll, timed } from './harness/proc'
import { seedlingCliAvailable, startSeedlingSeed } from './harness/seedling-cli'
import type { SeedlingSeed } from './harness/seedling-cli'

const cli = seedlingCliAvailable()

describe.skipIf(skipWithoutTools('interop', ['aria2c', 'opentracker', 'mktorrent']))(
  'aria2c downloads what Seedling seeds',
  () => {
    let root: string
    let opentracker: OpenTracker | undefined
    let jsTracker: JsTracker | undefined
    const seeders: SeedlingSeed[] = []

    beforeAll(async () => {
      root = await makeTempDir('aria2-dl')
      opentracker = await startOpentracker()
      jsTracker = await startJsTracker()
    })

    afterAll(async () => {
      for (const s of seeders) await s.stop()
      await opentracker?.stop()
      await jsTracker?.stop()
      await killAll()
      await removeDir(root)
    })

    it('harness baseline: aria2c seeds, aria2c downloads (open tracker, byte-exact)', async () => {
      const src = join(root, 'base-seed')
      await writeSeededTree(join(src, 'payload'), sampleTree(2), 'baseline')
      const torrentFile = join(root, 'base.torrent')
      await makeTorrent({
        target: join(src, 'payload'),
        out: torrentFile,
        announce: [jsTracker!.announceUrl],
      })
      const seed = await startAria2Seed({ torrentFile, dir: src })
      try {
        const dir = join(root, 'base-dl')
        await mkdir(dir)
        await downloadWithAria2({ torrentFile, dir, timeoutMs: 90_000 })
        await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
      } finally {
        await seed.stop()
      }
    })

    it.skipIf(!cli)(
      'Seedling seeds a mktorrent .torrent; aria2c downloads it via opentracker',
      async () => {
        const src = join(root, 'seed1')
        await writeSeededTree(join(src, 'payload'), sampleTree(6), 'case1')
        const torrentFile = join(root, 'case1.torrent')
        const meta = await makeTorrent({
          target: join(src, 'payload'),
          out: torrentFile,
          announce: [opentracker!.announceUrl],
          pieceLengthExp: 15,
        })
        await opentracker!.allow([meta.infoHash])
        const seed = await timed('Seedling seed start (.torrent)', () =>
          startSeedlingSeed({ source: torrentFile, dir: src }),
        )
        seeders.push(seed)
        expect(seed.infoHash).toBe(meta.infoHash)
        await opentracker!.waitForSeeders(meta.infoHash, 1, 60_000)
        const dir = join(root, 'dl1')
        await mkdir(dir)
        await timed('aria2c download from Seedling (.torrent)', () =>
          downloadWithAria2({ torrentFile, dir, timeoutMs: 180_000 }),
        )
        await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
        await timed('Seedling seed stop', () => seed.stop())
      },
    )

    it.skipIf(!cli)(
      'Seedling creates and seeds a folder; aria2c downloads its magnet URI',
      async () => {
        const src = join(root, 'seed2')
        await writeSeededTree(join(src, 'folder'), sampleTree(3), 'case2')
        const seed = await timed('Seedling seed start (folder)', () =>
          startSeedlingSeed({ source: join(src, 'folder'), trackers: [jsTracker!.announceUrl] }),
        )
        seeders.push(seed)
        expect(seed.magnet).toContain(seed.infoHash)
        const dir = join(root, 'dl2')
        await mkdir(dir)
        // The magnet carries no tracker unless Seedling put ours in it; give aria2c the tracker anyway.
        await timed('aria2c download from Seedling (magnet)', () =>
          downloadWithAria2({
            torrentFile: seed.magnet,
            dir,
            trackers: [jsTracker!.announceUrl],
            timeoutMs: 180_000,
          }),
        )
        await assertTreesEqual(join(src, 'folder'), join(dir, 'folder'))
        await timed('Seedling seed stop', () => seed.stop())
      },
    )
  },
)
