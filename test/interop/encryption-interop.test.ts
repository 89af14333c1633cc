// Encryption policies against real clients on loopback:
//  - qbittorrent-nox with encryption forced off seeds; Seedling `prefer` downloads it (its MSE/PE
//    attempt is dropped, so this needs the plaintext retry);
//  - qbittorrent-nox with encryption forced on seeds; Seedling `prefer` and `require` download it;
//  - Seedling `prefer` seeds; aria2c with --bt-require-crypto=true (RC4 only) downloads it.
// qBittorrent 4.5's `[BitTorrent] Session\Encryption`: 0 prefer, 1 force on, 2 force off.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downloadWithAria2 } from './harness/aria2'
import { assertTreesEqual, makeTempDir, makeTorrent, removeDir } from './harness/files'
import { sampleTree, writeSeededTree } from '../support/test-data'
import type { TorrentFileInfo } from './harness/files'
import { startJsTracker } from './harness/js-tracker'
import type { JsTracker } from './harness/js-tracker'
import { skipWithoutTools } from '../support/external-tools'
import { killAll, timed } from './harness/proc'
import { startQbittorrent } from './harness/qbittorrent'
import type { Qbittorrent } from './harness/qbittorrent'
import {
  downloadWithSeedling,
  seedlingCliAvailable,
  startSeedlingSeed,
} from './harness/seedling-cli'
import type { SeedlingSeed } from './harness/seedling-cli'

const cli = seedlingCliAvailable()

describe.skipIf(!cli || skipWithoutTools('interop', ['qbittorrent-nox', 'aria2c', 'mktorrent']))(
  'encryption against real clients',
  () => {
    let root: string
    let src: string
    let torrentFile: string
    let meta: TorrentFileInfo
    let tracker: JsTracker | undefined
    const qbts: Qbittorrent[] = []
    const seeds: SeedlingSeed[] = []

    beforeAll(async () => {
      root = await makeTempDir('enc-interop')
      src = join(root, 'seed')
      await writeSeededTree(join(src, 'payload'), sampleTree(2), 'encryption')
      tracker = await startJsTracker()
      torrentFile = join(root, 'payload.torrent')
      meta = await makeTorrent({
        target: join(src, 'payload'),
        out: torrentFile,
        announce: [tracker.announceUrl],
        pieceLengthExp: 15,
      })
    })

    afterAll(async () => {
      for (const s of seeds) await s.stop()
      for (const q of qbts) await q.stop()
      await tracker?.stop()
      await killAll()
      await removeDir(root)
    })

    async function qbtSeeding(encryption: '1' | '2'): Promise<Qbittorrent> {
      const qbt = await startQbittorrent({ session: { Encryption: encryption } })
      qbts.push(qbt)
      const prefs = (await (await qbt.api('app/preferences')).json()) as { encryption: number }
      expect(String(prefs.encryption)).toBe(encryption)
      await qbt.addTorrent(torrentFile, { savePath: src })
      await qbt.waitSeeding(meta.infoHash, 60_000)
      return qbt
    }

    async function seedlingFrom(qbt: Qbittorrent, policy: 'prefer' | 'require', name: string) {
      const dir = join(root, name)
      await timed(`Seedling ${policy} download from qbittorrent (${name})`, () =>
        downloadWithSeedling({
          source: torrentFile,
          dir,
          peers: [`127.0.0.1:${qbt.port}`],
          extraArgs: ['--encryption', policy],
          timeoutMs: 120_000,
        }),
      )
      await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
    }

    it('qBittorrent with encryption forced off seeds; Seedling `prefer` downloads (plaintext retry)', async () => {
      const qbt = await qbtSeeding('2')
      await seedlingFrom(qbt, 'prefer', 'dl-off-prefer')
      await qbt.stop()
    })

    it('qBittorrent with encryption forced on seeds; Seedling `prefer` and `require` download', async () => {
      const qbt = await qbtSeeding('1')
      await seedlingFrom(qbt, 'prefer', 'dl-on-prefer')
      await seedlingFrom(qbt, 'require', 'dl-on-require')
      await qbt.stop()
    })

    it('Seedling `prefer` seeds; aria2c requiring RC4 encryption downloads', async () => {
      const seed = await startSeedlingSeed({
        source: torrentFile,
        dir: src,
        extraArgs: ['--encryption', 'prefer'],
      })
      seeds.push(seed)
      expect(seed.infoHash).toBe(meta.infoHash)
      const dir = join(root, 'dl-aria2-crypto')
      await mkdir(dir)
      await timed('aria2c (require crypto) download from Seedling', () =>
        downloadWithAria2({
          torrentFile,
          dir,
          timeoutMs: 120_000,
          stallTimeoutS: 60,
          extraArgs: [
            '--bt-require-crypto=true',
            '--bt-min-crypto-level=arc4',
            '--bt-force-encryption=true',
          ],
        }),
      )
      await assertTreesEqual(join(src, 'payload'), join(dir, 'payload'))
    })
  },
)
