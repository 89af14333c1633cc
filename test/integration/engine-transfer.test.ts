import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { encode } from '../../src/main/engine/bencode'
import type { Encodable } from '../../src/main/engine/bencode'
import { createTorrentFile } from '../../src/main/engine/create'
import { decodeTorrentFile } from '../../src/main/engine/metainfo'
import type { TorrentEngine } from '../../src/main/engine/engine'
import {
  closedAfterEach,
  openEngine,
  portOf,
  sha1File,
  tempDir,
  waitForTorrent,
} from './helpers/engines'
import { seededBytes, writeSeededTree } from '../support/test-data'
import { pieceHashes } from '../support/torrent-builder'

const FILES = [
  { path: 'album/cover.jpg', size: 70_000 },
  { path: 'album/disc 1/track01.flac', size: 1_300_000 },
  { path: 'album/disc 1/empty.txt', size: 0 },
  { path: 'album/notes.txt', size: 5_001 },
]

describe('two engines on loopback', () => {
  const { engines, dirs } = closedAfterEach()

  async function setupSeeder() {
    const root = await tempDir('seed')
    dirs.push(root)
    const digests = await writeSeededTree(root, FILES, 'engine-transfer-1')
    const { torrent, decoded } = await createTorrentFile({
      path: path.join(root, 'album'),
      pieceLength: 32 * 1024,
    })
    const seeder = await openEngine(path.join(root, 'state'), root)
    engines.push(seeder)
    const added = await seeder.addTorrent({
      source: { kind: 'file', data: Buffer.from(torrent).toString('base64') },
      downloadDir: root,
    })
    await waitForTorrent(seeder, added.torrent.infoHash, (s) => s.status === 'seeding')
    return { seeder, torrent, decoded, digests, port: await portOf(seeder) }
  }

  it('transfers a multi-file torrent byte-exact and reports peers, files and pieces', async () => {
    const { seeder, torrent, decoded, digests, port } = await setupSeeder()
    const leechRoot = await tempDir('leech')
    dirs.push(leechRoot)
    const downloads = path.join(leechRoot, 'downloads')
    const leecher = await openEngine(path.join(leechRoot, 'state'), downloads, {
      peers: [`127.0.0.1:${port}`],
    })
    engines.push(leecher)
    const { torrent: added, duplicate } = await leecher.addTorrent({
      source: { kind: 'file', data: Buffer.from(torrent).toString('base64') },
    })
    expect(duplicate).toBe(false)
    expect(added.name).toBe('album')
    const done = await waitForTorrent(leecher, added.infoHash, (s) => s.status === 'seeding')
    expect(done.progress).toBe(1)
    expect(done.completedLength).toBe(decoded.meta.length)
    expect(done.downloadedTotal).toBeGreaterThanOrEqual(decoded.meta.length)

    for (const file of FILES) {
      expect(await sha1File(path.join(downloads, file.path))).toBe(digests.get(file.path))
    }

    const detail = await leecher.getTorrent({ infoHash: added.infoHash })
    expect(detail.meta?.infoHash).toBe(added.infoHash)
    expect(detail.files.map((f) => f.path).sort()).toEqual(FILES.map((f) => f.path).sort())
    expect(detail.files.every((f) => f.progress === 1 || f.length === 0)).toBe(true)
    expect(detail.peers.length).toBeGreaterThan(0)
    expect(detail.peers[0]?.address).toBe('127.0.0.1')

    const pieces = await leecher.getPieces({ infoHash: added.infoHash })
    expect(pieces.pieceCount).toBe(decoded.meta.pieceCount)
    const bits = Buffer.from(pieces.have, 'base64')
    for (let i = 0; i < pieces.pieceCount; i++) {
      expect(bits[i >> 3]! & (0x80 >> (i & 7))).not.toBe(0)
    }

    const again = await leecher.addTorrent({
      source: { kind: 'file', data: Buffer.from(torrent).toString('base64') },
    })
    expect(again.duplicate).toBe(true)
    expect((await leecher.listTorrents()).length).toBe(1)

    const up = await waitForTorrent(seeder, added.infoHash, (s) => s.uploadedTotal > 0)
    expect(up.uploadedTotal).toBeGreaterThanOrEqual(decoded.meta.length)
  })

  it('fetches the metadata of a magnet link from a peer, then the data', async () => {
    const { decoded, digests, port } = await setupSeeder()
    const leechRoot = await tempDir('magnet')
    dirs.push(leechRoot)
    const downloads = path.join(leechRoot, 'downloads')
    const leecher = await openEngine(path.join(leechRoot, 'state'), downloads, {
      peers: [`127.0.0.1:${port}`],
    })
    engines.push(leecher)
    const { torrent: added } = await leecher.addTorrent({
      source: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${decoded.meta.infoHash}` },
    })
    // Over loopback the metadata may already be there when addTorrent returns; before it arrives the
    // torrent can only be named by its hash.
    expect([added.infoHash, 'album']).toContain(added.name)
    const done = await waitForTorrent(leecher, added.infoHash, (s) => s.status === 'seeding')
    expect(done.name).toBe('album')
    for (const file of FILES) {
      expect(await sha1File(path.join(downloads, file.path))).toBe(digests.get(file.path))
    }
    // The .torrent is kept once metadata arrives, so a restart needs no peer to know the files.
    const saved = await fs.readFile(
      path.join(leechRoot, 'state', 'torrents', `${added.infoHash}.torrent`),
    )
    expect(saved.length).toBeGreaterThan(0)
  })

  it('downloads only the selected files', async () => {
    const { torrent, decoded, digests, port } = await setupSeeder()
    const leechRoot = await tempDir('select')
    dirs.push(leechRoot)
    const downloads = path.join(leechRoot, 'downloads')
    const leecher = await openEngine(path.join(leechRoot, 'state'), downloads, {
      peers: [`127.0.0.1:${port}`],
    })
    engines.push(leecher)
    const wanted = decoded.meta.files.findIndex((f) => f.path === 'album/notes.txt')
    const { torrent: added } = await leecher.addTorrent({
      source: { kind: 'file', data: Buffer.from(torrent).toString('base64') },
      selectedFiles: [wanted],
    })
    const done = await waitForTorrent(leecher, added.infoHash, (s) => s.status === 'seeding')
    expect(done.selectedLength).toBe(5_001)
    expect(await sha1File(path.join(downloads, 'album/notes.txt'))).toBe(
      digests.get('album/notes.txt'),
    )
    const detail = await leecher.getTorrent({ infoHash: added.infoHash })
    const flac = detail.files.find((f) => f.path.endsWith('track01.flac'))
    expect(flac?.selected).toBe(false)
    expect(flac?.progress).toBeLessThan(1)
  })
})

describe('hostile paths from peers', () => {
  it('sanitizes the file paths of metadata fetched by magnet, writing nothing outside the folder', async () => {
    const root = await tempDir('hostile')
    const engines: TorrentEngine[] = []
    try {
      const data = seededBytes(40_000, 'engine-transfer-hostile-paths')
      const pieceLength = 16 * 1024
      const torrent = encode(
        new Map<string, Encodable>([
          [
            'info',
            new Map<string, Encodable>([
              [
                'files',
                [
                  new Map<string, Encodable>([
                    ['length', data.length],
                    ['path', [text('..'), text('..'), text('escape.txt')]],
                  ]),
                ],
              ],
              ['name', text('evil')],
              ['piece length', pieceLength],
              ['pieces', pieceHashes(data, pieceLength)],
            ]),
          ],
        ]),
      )
      const decoded = decodeTorrentFile(torrent)
      const safePath = decoded.meta.files[0]!.path
      expect(safePath.split('/')).not.toContain('..')

      const seedDir = path.join(root, 'seed')
      await fs.mkdir(path.dirname(path.join(seedDir, safePath)), { recursive: true })
      await fs.writeFile(path.join(seedDir, safePath), data)
      const seeder = await openEngine(path.join(root, 'seed-state'), seedDir)
      engines.push(seeder)
      const { torrent: added } = await seeder.addTorrent({
        source: { kind: 'file', data: Buffer.from(torrent).toString('base64') },
      })
      await waitForTorrent(seeder, added.infoHash, (s) => s.status === 'seeding')

      const jail = path.join(root, 'jail', 'downloads')
      const leecher = await openEngine(path.join(root, 'leech-state'), jail, {
        peers: [`127.0.0.1:${await portOf(seeder)}`],
      })
      engines.push(leecher)
      await leecher.addTorrent({
        source: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${added.infoHash}` },
      })
      await waitForTorrent(leecher, added.infoHash, (s) => s.status === 'seeding')
      expect(await fs.readFile(path.join(jail, safePath))).toEqual(data)
      // Nothing landed beside or above the download folder.
      expect(await fs.readdir(path.join(root, 'jail'))).toEqual(['downloads'])
      expect((await fs.readdir(root)).sort()).toEqual(
        ['jail', 'leech-state', 'seed', 'seed-state'].sort(),
      )
    } finally {
      await Promise.all(engines.map((e) => e.close()))
      await fs.rm(root, { recursive: true, force: true })
    }
  })
})

function text(s: string): Uint8Array {
  return new TextEncoder().encode(s)
}
