/**
 * Filesystem safety of the real TorrentEngine on real files: no write, read or delete goes through a
 * symbolic link below a download folder (Seedling's chunk store and torrent-data.ts), a move never
 * replaces a file, and resume data carries each file's state from when it was verified, so an edit
 * made while seeding is caught at the next start.
 *
 * Layout per test: <root>/seed (a seeding engine's data), <root>/dl (the engine under test's
 * download folder) and <root>/outside (files the torrents must never touch).
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createTorrentFile } from '../../src/main/engine/create'
import type { TorrentEngine } from '../../src/main/engine/engine'
import { SeedlingError } from '../../src/shared/api'
import { closedAfterEach, openEngine, portOf, tempDir, waitForTorrent } from './helpers/engines'
import { writeSeededTree } from '../support/test-data'

const PIECE = 16 * 1024
const FILES = [
  { path: 'set/a.bin', size: 5 * PIECE + 100 },
  { path: 'set/b/c.bin', size: 2 * PIECE + 7 },
]

const { engines, dirs } = closedAfterEach()

async function open(state: string, downloadDir: string, peers?: string[]) {
  const engine = await openEngine(state, downloadDir, { peers })
  engines.push(engine)
  return engine
}

async function closeEngine(engine: TorrentEngine): Promise<void> {
  await engine.close()
  engines.splice(engines.indexOf(engine), 1)
}

/** A seeding engine with FILES, and an empty download folder and an `outside` folder beside it. */
async function setup() {
  const root = await tempDir('fs-safety')
  dirs.push(root)
  const seedDir = path.join(root, 'seed')
  await writeSeededTree(seedDir, FILES, 'fs-safety-1')
  const { torrent, decoded } = await createTorrentFile({
    path: path.join(seedDir, 'set'),
    pieceLength: PIECE,
  })
  const source = { kind: 'file' as const, data: Buffer.from(torrent).toString('base64') }
  const dl = path.join(root, 'dl')
  const outside = path.join(root, 'outside')
  await fs.mkdir(dl)
  await fs.mkdir(outside)
  await fs.writeFile(path.join(outside, 'victim.bin'), 'user data')
  return { root, seedDir, source, dl, outside, infoHash: decoded.meta.infoHash }
}

type Setup = Awaited<ReturnType<typeof setup>>

async function startSeeder(s: Setup): Promise<string> {
  const seeder = await open(path.join(s.root, 'seed-state'), s.seedDir)
  await seeder.addTorrent({ source: s.source })
  await waitForTorrent(seeder, s.infoHash, (t) => t.status === 'seeding', 20_000)
  return `127.0.0.1:${await portOf(seeder)}`
}

/** Every file below `dir` with its content, for before/after comparisons. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    out[path.relative(dir, file)] = (await fs.readFile(file)).toString('hex')
  }
  return out
}

/** Adds the torrent to a leecher that can download it, and expects a link error naming `link`. */
async function expectLeechRefused(s: Setup, link: string): Promise<void> {
  const peer = await startSeeder(s)
  const before = await snapshot(s.outside)
  const leecher = await open(path.join(s.root, 'state'), s.dl, [peer])
  await leecher.addTorrent({ source: s.source })
  const failed = await waitForTorrent(leecher, s.infoHash, (t) => t.status === 'error', 10_000)
  expect(failed.error).toContain('symbolic link')
  expect(failed.error).toContain(link)
  expect(failed.completedLength).toBe(0)
  expect(await snapshot(s.outside)).toEqual(before)
}

describe('links below the download folder are never followed', () => {
  it('a symlink to a folder outside, where the torrent folder goes: nothing is written through it', async () => {
    const s = await setup()
    await fs.symlink(s.outside, path.join(s.dl, 'set'))
    await expectLeechRefused(s, path.join(s.dl, 'set'))
  })

  it('a symlink to a file outside, where a torrent file goes: the file outside is not written', async () => {
    const s = await setup()
    await fs.mkdir(path.join(s.dl, 'set'))
    await fs.symlink(path.join(s.outside, 'victim.bin'), path.join(s.dl, 'set/a.bin'))
    await expectLeechRefused(s, path.join(s.dl, 'set/a.bin'))
  })

  it('a symlinked parent folder deeper in the torrent: nothing is written below it', async () => {
    const s = await setup()
    await fs.mkdir(path.join(s.dl, 'set'))
    await fs.symlink(s.outside, path.join(s.dl, 'set/b'))
    await expectLeechRefused(s, path.join(s.dl, 'set/b'))
  })

  it('a seeder never reads through a link: data outside is not served as the torrent', async () => {
    const s = await setup()
    // A complete, valid copy outside, linked where the torrent's folder goes.
    await fs.cp(path.join(s.seedDir, 'set'), path.join(s.outside, 'copy'), { recursive: true })
    await fs.symlink(path.join(s.outside, 'copy'), path.join(s.dl, 'set'))
    const engine = await open(path.join(s.root, 'state'), s.dl)
    await engine.addTorrent({ source: s.source })
    const failed = await waitForTorrent(engine, s.infoHash, (t) => t.status === 'error', 10_000)
    expect(failed.error).toContain(path.join(s.dl, 'set'))
    expect(failed.completedLength).toBe(0)
  })

  it('remove with data deletes no file through a link and no folder outside', async () => {
    const s = await setup()
    const engine = await open(path.join(s.root, 'state'), s.seedDir)
    await engine.addTorrent({ source: s.source })
    await waitForTorrent(engine, s.infoHash, (t) => t.status === 'seeding', 20_000)
    // Swapped in while seeding: set/b becomes a link to a folder outside holding a c.bin, and
    // set/a.bin a link to a file outside.
    await fs.mkdir(path.join(s.outside, 'b'))
    await fs.writeFile(path.join(s.outside, 'b/c.bin'), 'keep me')
    await fs.rm(path.join(s.seedDir, 'set/b'), { recursive: true })
    await fs.symlink(path.join(s.outside, 'b'), path.join(s.seedDir, 'set/b'))
    await fs.rm(path.join(s.seedDir, 'set/a.bin'))
    await fs.symlink(path.join(s.outside, 'victim.bin'), path.join(s.seedDir, 'set/a.bin'))
    const before = await snapshot(s.outside)

    await engine.removeTorrent({ infoHash: s.infoHash, deleteData: true })

    expect(await snapshot(s.outside)).toEqual(before)
    // The link where a file was is unlinked itself; the folder link above c.bin is left alone.
    await expect(fs.lstat(path.join(s.seedDir, 'set/a.bin'))).rejects.toThrow(/ENOENT/)
    expect((await fs.lstat(path.join(s.seedDir, 'set/b'))).isSymbolicLink()).toBe(true)
  })
})

describe('moving a torrent never replaces a file', () => {
  it('is refused, naming the conflict, when the target folder already holds the torrent folder', async () => {
    const s = await setup()
    const engine = await open(path.join(s.root, 'state'), s.seedDir)
    await engine.addTorrent({ source: s.source })
    await waitForTorrent(engine, s.infoHash, (t) => t.status === 'seeding', 20_000)
    await fs.mkdir(path.join(s.dl, 'set'))
    await fs.writeFile(path.join(s.dl, 'set/a.bin'), 'the user own a.bin')
    const sourceBefore = await snapshot(s.seedDir)

    const moving = engine.moveTorrent({ infoHash: s.infoHash, downloadDir: s.dl })
    await expect(moving).rejects.toBeInstanceOf(SeedlingError)
    await expect(moving).rejects.toMatchObject({
      code: 'duplicate',
      message: expect.stringContaining(path.join(s.dl, 'set')),
    })

    expect(await fs.readFile(path.join(s.dl, 'set/a.bin'), 'utf8')).toBe('the user own a.bin')
    expect(await snapshot(s.seedDir)).toEqual(sourceBefore)
    const after = await waitForTorrent(engine, s.infoHash, (t) => t.status === 'seeding', 20_000)
    expect(after.downloadDir).toBe(s.seedDir)
  })
})

describe('resume data records file states when pieces are verified', () => {
  it('a byte edited while seeding is not trusted after a clean stop and restart', async () => {
    const s = await setup()
    const state = path.join(s.root, 'state')
    const engine = await open(state, s.seedDir)
    await engine.addTorrent({ source: s.source })
    await waitForTorrent(engine, s.infoHash, (t) => t.status === 'seeding', 20_000)

    // Edit one byte of piece 2 (in set/a.bin) on disk during the session; the mtime moves on.
    const file = path.join(s.seedDir, 'set/a.bin')
    const handle = await fs.open(file, 'r+')
    const buf = Buffer.alloc(1)
    await handle.read(buf, 0, 1, 2 * PIECE + 10)
    buf[0] = buf[0]! ^ 0xff
    await handle.write(buf, 0, 1, 2 * PIECE + 10)
    await handle.close()
    const later = new Date(Date.now() + 10_000)
    await fs.utimes(file, later, later)

    await closeEngine(engine)
    const restarted = await open(state, s.seedDir)
    const summary = await waitForTorrent(
      restarted,
      s.infoHash,
      (t) => t.status === 'downloading' || t.status === 'seeding',
      20_000,
    )
    expect(summary.status).toBe('downloading')
    expect(summary.progress).toBeLessThan(1)
    const pieces = await restarted.getPieces({ infoHash: s.infoHash })
    const have = Buffer.from(pieces.have, 'base64')
    const has = (p: number): boolean => ((have[p >> 3] ?? 0) & (0x80 >> (p & 7))) !== 0
    expect(has(2)).toBe(false)
    // Every other piece is still there: only the edited one is missing, so it is never offered.
    for (let p = 0; p < pieces.pieceCount; p++) if (p !== 2) expect(has(p)).toBe(true)
  })
})
