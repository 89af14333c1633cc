/**
 * A full disk is bad input like any other: the torrent that hit it shows a clear error, the engine and the
 * other torrents carry on, and the session is intact. The small disk is a tmpfs the test mounts itself
 * (root only); where mounting is not permitted the test is skipped and says why.
 */
import { execFileSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTorrentFile } from '../../src/main/engine/create'
import type { TorrentEngine } from '../../src/main/engine/engine'
import { openEngine, portOf, tempDir, waitForTorrent } from './helpers/engines'
import { writeSeededTree } from '../support/test-data'

function tryMountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('a full disk', () => {
  let root: string
  let small: string
  let mounted = false
  const engines: TorrentEngine[] = []

  beforeAll(async () => {
    root = await tempDir('disk-full')
    small = path.join(root, 'small-disk')
    await fs.mkdir(small)
    mounted = tryMountTmpfs(small, '1m')
  })

  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()))
    if (mounted) execFileSync('umount', [small])
    await fs.rm(root, { recursive: true, force: true })
  })

  it('stops only the torrent that ran out of space, with a clear error', async (ctx) => {
    if (!mounted) ctx.skip(true, 'mounting a small tmpfs needs root (CAP_SYS_ADMIN)')
    const seedDir = path.join(root, 'seed')
    await writeSeededTree(
      seedDir,
      [
        { path: 'big/a.bin', size: 3_000_000 },
        { path: 'small/b.bin', size: 100_000 },
      ],
      'disk-full-1',
    )
    const big = await createTorrentFile({ path: path.join(seedDir, 'big'), pieceLength: 32768 })
    const little = await createTorrentFile({
      path: path.join(seedDir, 'small'),
      pieceLength: 32768,
    })
    const seeder = await openEngine(path.join(root, 'seed-state'), seedDir)
    engines.push(seeder)
    for (const t of [big, little]) {
      const { torrent } = await seeder.addTorrent({
        source: { kind: 'file', data: Buffer.from(t.torrent).toString('base64') },
      })
      await waitForTorrent(seeder, torrent.infoHash, (s) => s.status === 'seeding')
    }

    const state = path.join(root, 'leech-state')
    const leecher = await openEngine(state, path.join(root, 'roomy'), {
      peers: [`127.0.0.1:${await portOf(seeder)}`],
    })
    engines.push(leecher)
    const errors: string[] = []
    leecher.on('torrent:error', (e) => errors.push(e.error))
    const { torrent: tooBig } = await leecher.addTorrent({
      source: { kind: 'file', data: Buffer.from(big.torrent).toString('base64') },
      downloadDir: small,
    })
    const { torrent: fits } = await leecher.addTorrent({
      source: { kind: 'file', data: Buffer.from(little.torrent).toString('base64') },
    })

    const failed = await waitForTorrent(leecher, tooBig.infoHash, (s) => s.status === 'error')
    expect(failed.error).toMatch(/ENOSPC|no space/i)
    expect(errors.some((e) => /ENOSPC|no space/i.test(e))).toBe(true)
    // The other torrent and the engine are unaffected.
    await waitForTorrent(leecher, fits.infoHash, (s) => s.status === 'seeding')
    expect((await leecher.listTorrents()).length).toBe(2)
    const saved = JSON.parse(await fs.readFile(path.join(state, 'session.json'), 'utf8'))
    expect(saved.torrents.map((t: { infoHash: string }) => t.infoHash).sort()).toEqual(
      [tooBig.infoHash, fits.infoHash].sort(),
    )
    // The user can move it somewhere with room and carry on.
    await leecher.moveTorrent({ infoHash: tooBig.infoHash, downloadDir: path.join(root, 'roomy') })
    await leecher.resumeTorrents({ infoHashes: [tooBig.infoHash] })
    const done = await waitForTorrent(leecher, tooBig.infoHash, (s) => s.status === 'seeding')
    expect(done.completedLength).toBe(3_000_000)
  })
})
