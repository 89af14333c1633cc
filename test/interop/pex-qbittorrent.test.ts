// BEP 11 peer exchange with qbittorrent-nox (libtorrent 2.0), on 127.0.0.1 only.
//
// qBittorrent in the middle: Seedling A seeds and Seedling C downloads; each was given only
// qBittorrent's address and dials it. libtorrent passes on a peer that dialled it only when that
// peer announced its listen port (`p` in the extended handshake), so C hearing of A checks both that
// Seedling sends `p` and that it takes libtorrent's PEX. qBittorrent is slowed to a trickle so it is
// still a leecher when C arrives: libtorrent drops its connections to seeds once it is finished, and
// then had no A to pass on.
// Seedling in the middle: Seedling B (no file selected) dials Seedling A and qBittorrent; qBittorrent
// must hear of A from B's PEX, list it with its PEX flag (X) and download from it.
// A runs with PEX off in both: it would otherwise hear of the downloader and dial it itself.
// libtorrent ignores local addresses only from peers that are not local themselves; on loopback every
// peer is local, so it takes and sends 127.0.0.1 peers (seen here).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TorrentEngine } from '../../src/main/engine/engine'
import { skipWithoutTools } from '../support/external-tools'
import { makeTorrentFixture } from '../support/torrent-builder'
import type { TorrentFixture } from '../support/torrent-builder'
import {
  fileSource,
  openEngine,
  portOf,
  sha1File,
  tempDir,
  waitForTorrent,
} from '../integration/helpers/engines'
import { killAll, waitUntil } from './harness/proc'
import { startQbittorrent, torrentPeers } from './harness/qbittorrent'
import type { Qbittorrent } from './harness/qbittorrent'

const PIECE = 32 * 1024

describe.skipIf(skipWithoutTools('interop', ['qbittorrent-nox']))(
  'peer exchange with qbittorrent-nox',
  () => {
    const closers: Array<() => Promise<unknown>> = []

    afterEach(async () => {
      for (const close of closers.splice(0).reverse()) await close()
      await killAll()
    })

    async function setUp(
      name: string,
    ): Promise<{ root: string; fixture: TorrentFixture; qbt: Qbittorrent }> {
      const root = await tempDir(name)
      closers.push(() => fs.rm(root, { recursive: true, force: true }))
      const fixture = await makeTorrentFixture({
        dir: path.join(root, 'a'),
        files: [{ path: 'payload.bin', size: 64 * PIECE + 321 }],
        pieceLength: PIECE,
        seed: name,
      })
      // The harness writes PeXEnabled=false; a later key wins (read back below).
      const qbt = await startQbittorrent({ session: { PeXEnabled: 'true' } })
      closers.push(() => qbt.stop())
      const prefs = (await (await qbt.api('app/preferences')).json()) as { pex?: boolean }
      expect(prefs.pex, 'qBittorrent has PEX on').toBe(true)
      return { root, fixture, qbt }
    }

    async function seeder(
      root: string,
      fixture: TorrentFixture,
      peers: string[],
    ): Promise<TorrentEngine> {
      const a = await openEngine(path.join(root, 'a-state'), fixture.dataDir, { peers })
      closers.push(() => a.close())
      await a.addTorrent({ source: fileSource(fixture) })
      await waitForTorrent(a, fixture.infoHash, (s) => s.status === 'seeding', 30_000)
      return a
    }

    it('qBittorrent tells Seedling C about Seedling A, and C downloads from A', async () => {
      const { root, fixture, qbt } = await setUp('pex-qbt-middle')
      const hash = fixture.infoHash
      await qbt.addTorrent(fixture.torrentPath, { savePath: path.join(root, 'qbt'), paused: true })
      await waitUntil(() => qbt.info(hash), {
        timeoutMs: 30_000,
        what: 'qbittorrent to list the torrent',
      })
      await qbt.api('torrents/setDownloadLimit', { hashes: hash, limit: String(16 * 1024) })
      await qbt.api('torrents/resume', { hashes: hash })

      const a = await seeder(root, fixture, [`127.0.0.1:${qbt.port}`])
      const aPort = await portOf(a)
      await waitUntil(
        async () => (await torrentPeers(qbt, hash)).some((p) => p.flags.includes('I')),
        {
          timeoutMs: 30_000,
          what: 'Seedling A to connect to qBittorrent',
          procs: [qbt.proc],
        },
      )

      const cDir = path.join(root, 'c')
      const c = await openEngine(path.join(root, 'c-state'), cDir, {
        peers: [`127.0.0.1:${qbt.port}`],
        overrides: { pex: true },
      })
      closers.push(() => c.close())
      await c.addTorrent({ source: fileSource(fixture) })
      // libtorrent sends its first PEX message within seconds; the rest come a minute apart.
      await waitUntil(
        async () => (await c.getTorrent({ infoHash: hash })).peers.some((p) => p.port === aPort),
        { timeoutMs: 90_000, intervalMs: 500, what: 'C to connect to A', procs: [qbt.proc] },
      )
      await waitForTorrent(c, hash, (s) => s.progress === 1, 90_000)
      const file = fixture.files[0]!
      expect(await sha1File(path.join(cDir, file.path))).toBe(await sha1File(file.absolutePath))
    }, 240_000)

    it('Seedling B tells qBittorrent about Seedling A; qBittorrent lists it as from PEX and downloads', async () => {
      const { root, fixture, qbt } = await setUp('pex-seedling-middle')
      const hash = fixture.infoHash
      const qbtDir = path.join(root, 'qbt')
      await qbt.addTorrent(fixture.torrentPath, { savePath: qbtDir })
      await waitUntil(() => qbt.info(hash), {
        timeoutMs: 30_000,
        what: 'qbittorrent to list the torrent',
      })

      const a = await seeder(root, fixture, [])
      const aPort = await portOf(a)
      const b = await openEngine(path.join(root, 'b-state'), path.join(root, 'b'), {
        peers: [`127.0.0.1:${aPort}`, `127.0.0.1:${qbt.port}`],
        overrides: { pex: true },
      })
      closers.push(() => b.close())
      await b.addTorrent({ source: fileSource(fixture), selectedFiles: [] })

      const fromPex = await waitUntil(
        async () =>
          (await torrentPeers(qbt, hash)).find((p) => p.port === aPort && p.flags.includes('X')),
        {
          timeoutMs: 90_000,
          intervalMs: 500,
          what: 'qBittorrent to list A as a PEX peer',
          procs: [qbt.proc],
        },
      )
      expect(fromPex.endpoint).toBe(`127.0.0.1:${aPort}`)
      await qbt.waitComplete(hash, 90_000)
      const file = fixture.files[0]!
      expect(await sha1File(path.join(qbtDir, file.path))).toBe(await sha1File(file.absolutePath))
    }, 240_000)
  },
)
