/**
 * Crash and clean-stop resume of the real CLI (`seedling download --state-dir`), measured by what the
 * seeder uploads: a restart must fetch only what is missing (or no longer valid) on disk.
 *
 * Seeder: an in-process engine, upload-limited so a download takes several seconds. Leecher: the CLI
 * as a child process (`node --import tsx src/main/cli/index.ts`, one process, in its own process
 * group). Not the `tsx` binary: it runs the CLI in a second process and relays signals with a 30 ms
 * handshake that can lose the race and SIGKILL the CLI in the middle of its clean stop (seen here as
 * an occasional `cleanShutdown: false` after SIGINT, exit code 130).
 *
 * Figures are printed with a `[crash-resume]` prefix.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TorrentEngine } from '../../src/main/engine/engine'
import { decodeTorrentFile } from '../../src/main/engine/metainfo'
import type { TorrentFixture } from '../support/torrent-builder'
import { makeTorrentFixture } from '../support/torrent-builder'
import { openEngine, portOf, sha1File, tempDir, waitForTorrent } from './helpers/engines'
import { withTimeout } from './helpers/stack'

const ROOT = path.resolve(import.meta.dirname, '../..')
const CLI = path.join(ROOT, 'src/main/cli/index.ts')

const MiB = 1024 * 1024
const PIECE = 256 * 1024
/** 16 MiB over three files; a.bin is pieces 0-11 (piece 11 also holds the start of b.bin). */
const FILES = [
  { path: 'a.bin', size: 3_000_000 },
  { path: 'sub/b.bin', size: 6_500_001 },
  { path: 'c.bin', size: 7_277_215 },
]
const UPLOAD_LIMIT = 2 * MiB
/** Stop the first run once the seeder has sent this share of the torrent. */
const STOP_AT = 0.45
/**
 * Pieces a restart may fetch beyond what was missing on disk: pieces in flight at the stop, a piece
 * whose write had not reached the page cache. Generous, since the bound it guards is far lower than
 * a full re-download (about 35 pieces of 64).
 */
const SLACK_PIECES = 4

interface Cli {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const children = new Set<Cli>()
const engines: TorrentEngine[] = []
const dirs: string[] = []

afterEach(async () => {
  for (const cli of children) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) signalGroup(cli, 'SIGKILL')
    await withTimeout(cli.exit, 10_000, 'CLI exit after SIGKILL').catch(() => {})
  }
  children.clear()
  await Promise.all(
    engines.splice(0).map((e) => withTimeout(e.close(), 15_000, 'engine close').catch(() => {})),
  )
  await Promise.all(dirs.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })))
})

function signalGroup(cli: Cli, signal: NodeJS.Signals): void {
  try {
    process.kill(-cli.child.pid!, signal)
  } catch {
    // already gone
  }
}

function startCli(args: string[], env: Record<string, string> = {}): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...env },
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  const cli = { child, stdout: () => out, stderr: () => err, exit }
  children.add(cli)
  return cli
}

async function newDir(prefix: string): Promise<string> {
  const dir = await tempDir(prefix)
  dirs.push(dir)
  return dir
}

interface Setup {
  fixture: TorrentFixture
  seeder: TorrentEngine
  infoHash: string
  pieceHashes: string[]
  args: string[]
  downloads: string
  stateDir: string
}

async function setup(seed: number): Promise<Setup> {
  const fixture = await makeTorrentFixture({
    dir: await newDir('crash-fixture'),
    name: 'crash',
    files: FILES,
    pieceLength: PIECE,
    seed,
  })
  expect(fixture.length).toBe(16 * MiB)
  const seeder = await openEngine(await newDir('crash-seeder'), fixture.dataDir, {
    overrides: { uploadLimit: UPLOAD_LIMIT },
  })
  engines.push(seeder)
  const { torrent } = await seeder.addTorrent({
    source: { kind: 'file', data: Buffer.from(fixture.torrentBuffer).toString('base64') },
    downloadDir: fixture.dataDir,
  })
  await waitForTorrent(seeder, torrent.infoHash, (s) => s.status === 'seeding', 30_000)
  const port = await portOf(seeder)
  const leech = await newDir('crash-leech')
  const downloads = path.join(leech, 'downloads')
  const stateDir = path.join(leech, 'state')
  const args = [
    'download',
    fixture.torrentPath,
    '--dir',
    downloads,
    '--state-dir',
    stateDir,
    '--peer',
    `127.0.0.1:${port}`,
    '--no-dht',
    '--no-lsd',
    '--no-upnp',
    '--no-pex',
  ]
  const pieceHashes = decodeTorrentFile(fixture.torrentBuffer).meta.pieceHashes
  expect(pieceHashes).toHaveLength(64)
  return { fixture, seeder, infoHash: torrent.infoHash, pieceHashes, args, downloads, stateDir }
}

async function uploaded(s: Setup): Promise<number> {
  const t = (await s.seeder.listTorrents()).find((x) => x.infoHash === s.infoHash)
  return t?.uploaded ?? 0
}

/** Polls until the seeder has uploaded `share` of the torrent; fails if the CLI exits first. */
async function waitForUpload(s: Setup, cli: Cli, share: number): Promise<number> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const up = await uploaded(s)
    if (up >= share * s.fixture.length) return up
    if (cli.child.exitCode !== null) {
      throw new Error(`CLI exited early (${cli.child.exitCode}): ${cli.stderr().slice(-2000)}`)
    }
    if (Date.now() > deadline) {
      throw new Error(`seeder uploaded only ${up} B in 60 s; CLI: ${cli.stderr().slice(-2000)}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The seeder's upload count once it has stopped changing (the peer is gone or done). */
async function settledUpload(s: Setup): Promise<number> {
  let last = await uploaded(s)
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 250))
    const now = await uploaded(s)
    if (now === last) return now
    last = now
  }
  return last
}

/** Indexes of the pieces whose bytes on disk (missing files read as zeros) match their hash. */
async function validPiecesOnDisk(s: Setup): Promise<number[]> {
  const all = Buffer.alloc(s.fixture.length)
  for (const file of s.fixture.files) {
    const data = await fs
      .readFile(path.join(s.downloads, ...file.path.split('/')))
      .catch(() => null)
    if (data) data.copy(all, file.offset, 0, Math.min(data.length, file.size))
  }
  const valid: number[] = []
  s.pieceHashes.forEach((expected, i) => {
    const piece = all.subarray(i * PIECE, Math.min((i + 1) * PIECE, all.length))
    if (createHash('sha1').update(piece).digest('hex') === expected) valid.push(i)
  })
  return valid
}

function bitsOf(base64: string, count: number): number[] {
  const bits = Buffer.from(base64, 'base64')
  const out: number[] = []
  for (let i = 0; i < count; i++) if (bits[i >> 3]! & (0x80 >> (i & 7))) out.push(i)
  return out
}

interface SavedSession {
  cleanShutdown: boolean
  torrents: Array<{
    infoHash: string
    resume: {
      bitfield: string
      fileModtimes: Array<number | null>
      fileSizes?: Array<number | null>
    } | null
  }>
}

async function readSession(s: Setup): Promise<SavedSession> {
  return JSON.parse(
    await fs.readFile(path.join(s.stateDir, 'session.json'), 'utf8'),
  ) as SavedSession
}

async function expectByteExact(s: Setup): Promise<void> {
  for (const file of s.fixture.files) {
    expect(await sha1File(path.join(s.downloads, ...file.path.split('/')))).toBe(
      await sha1File(file.absolutePath),
    )
  }
}

/** Bytes of the given pieces (the last piece is shorter). */
function bytesOf(s: Setup, pieces: number): number {
  return Math.min(pieces * PIECE, s.fixture.length)
}

describe('CLI download resume', () => {
  it('after SIGKILL midway, a restart rechecks and fetches only what is missing', async () => {
    const s = await setup(21)
    const total = s.fixture.length
    const t0 = Date.now()
    const run1 = startCli(s.args)
    await waitForUpload(s, run1, STOP_AT)
    signalGroup(run1, 'SIGKILL')
    const exit1 = await withTimeout(run1.exit, 10_000, 'CLI exit after SIGKILL')
    expect(exit1.signal).toBe('SIGKILL')
    const killedAt = Date.now() - t0
    const up1 = await settledUpload(s)

    // The crash is detectable: the session was never marked as cleanly stopped, with no resume data.
    const saved = await readSession(s)
    expect(saved.cleanShutdown).toBe(false)
    expect(saved.torrents.map((t) => t.infoHash)).toEqual([s.infoHash])
    expect(saved.torrents[0]!.resume).toBeNull()
    const validAfterKill = await validPiecesOnDisk(s)
    // Meaningful only if the kill really came midway, with a good part of the data on disk.
    expect(validAfterKill.length).toBeGreaterThanOrEqual(16)
    expect(validAfterKill.length).toBeLessThan(64)

    const t1 = Date.now()
    const run2 = startCli(s.args)
    const exit2 = await withTimeout(run2.exit, 90_000, 'second CLI run')
    const run2Ms = Date.now() - t1
    expect(exit2, run2.stderr().slice(-3000)).toEqual({ code: 0, signal: null })
    expect(run2.stderr()).toMatch(/did not stop cleanly; rechecking/)
    expect(run2.stdout()).toMatch(/^done: crash /m)
    await expectByteExact(s)
    const up2 = (await settledUpload(s)) - up1
    const missing = 64 - validAfterKill.length

    console.log(
      `[crash-resume] SIGKILL: killed after ${killedAt} ms at ${up1} B uploaded ` +
        `(${((100 * up1) / total).toFixed(1)}%); ${validAfterKill.length}/64 pieces valid on disk; ` +
        `restart took ${run2Ms} ms and the seeder uploaded ${up2} B ` +
        `(${((100 * up2) / total).toFixed(1)}% of ${total}; ${missing} pieces = ${bytesOf(s, missing)} B were missing); ` +
        `total ${up1 + up2} B`,
    )
    // Everything missing had to come, and nothing valid on disk came again (beyond the slack).
    expect(up2).toBeGreaterThanOrEqual(bytesOf(s, missing) - PIECE)
    expect(up2).toBeLessThanOrEqual(bytesOf(s, missing + SLACK_PIECES))
    // The headline figure: clearly less than a full download.
    expect(up2).toBeLessThan(0.75 * total)
  })

  it('after a clean stop, a restart trusts resume data except for files changed on disk', async () => {
    const s = await setup(22)
    const total = s.fixture.length
    const run1 = startCli(s.args)
    await waitForUpload(s, run1, STOP_AT)
    signalGroup(run1, 'SIGINT')
    const exit1 = await withTimeout(run1.exit, 30_000, 'CLI exit after SIGINT')
    // Exit code 1: the download did not finish ("interrupted; progress saved").
    expect(exit1, run1.stderr().slice(-3000)).toEqual({ code: 1, signal: null })
    expect(run1.stderr()).toMatch(/interrupted; progress saved/)
    const up1 = await settledUpload(s)

    const saved = await readSession(s)
    expect(saved.cleanShutdown).toBe(true)
    const resume = saved.torrents[0]!.resume
    expect(resume).not.toBeNull()
    // Stamps for the files that exist (a.bin, b.bin; c.bin may not be created yet). The engine's
    // arrays stop at the last existing file, so they can be shorter than the file list.
    expect(resume!.fileModtimes.length).toBeLessThanOrEqual(FILES.length)
    expect(typeof resume!.fileModtimes[0]).toBe('number')
    expect(resume!.fileSizes?.[0]).toBe(FILES[0]!.size)
    const claimed = bitsOf(resume!.bitfield, 64)
    // The resume bitfield tells the truth: every piece it claims is valid on disk.
    const valid = await validPiecesOnDisk(s)
    expect(claimed.filter((p) => !valid.includes(p))).toEqual([])
    expect(claimed.length).toBeGreaterThanOrEqual(16)
    expect(claimed.length).toBeLessThan(64)
    // This scenario needs all of a.bin verified (pieces 0-11); sequential download gives that.
    for (let p = 0; p <= 11; p++) expect(claimed).toContain(p)

    // Change a.bin behind the engine's back, mtime not preserved: flip 3 bytes inside piece 2, and
    // cut the file at the start of piece 10 (so pieces 10 and 11 lose bytes).
    const fileA = path.join(s.downloads, 'crash', 'a.bin')
    const before = await fs.stat(fileA)
    await new Promise((r) => setTimeout(r, 20))
    const handle = await fs.open(fileA, 'r+')
    try {
      const at = 2 * PIECE + 1000
      const buf = Buffer.alloc(3)
      await handle.read(buf, 0, 3, at)
      for (let i = 0; i < 3; i++) buf[i] = buf[i]! ^ 0x5a
      await handle.write(buf, 0, 3, at)
    } finally {
      await handle.close()
    }
    await fs.truncate(fileA, 10 * PIECE)
    const after = await fs.stat(fileA)
    expect(after.mtimeMs).not.toBe(before.mtimeMs)
    const broken = [2, 10, 11]
    expect((await validPiecesOnDisk(s)).filter((p) => broken.includes(p))).toEqual([])

    // DEBUG output of webtorrent's resume check says how many claimed pieces it had to hash.
    const t1 = Date.now()
    const run2 = startCli(s.args, { DEBUG: 'webtorrent:torrent' })
    const exit2 = await withTimeout(run2.exit, 90_000, 'second CLI run')
    const run2Ms = Date.now() - t1
    expect(exit2, run2.stderr().slice(-3000)).toEqual({ code: 0, signal: null })
    expect(run2.stderr()).not.toMatch(/did not stop cleanly/)
    const hashed = /resume data: hashing (\d+) pieces/.exec(run2.stderr())
    expect(hashed, 'the resume check ran').not.toBeNull()
    // Only the claimed pieces that touch the changed file: a.bin's 12 pieces (11 spans a.bin/b.bin).
    expect(Number(hashed![1])).toBe(12)
    await expectByteExact(s)
    const up2 = (await settledUpload(s)) - up1
    const refetch = 64 - claimed.length + broken.length

    console.log(
      `[crash-resume] SIGINT: stopped at ${up1} B uploaded (${((100 * up1) / total).toFixed(1)}%); ` +
        `resume claimed ${claimed.length}/64 pieces; a.bin changed (pieces ${broken.join(', ')} broken); ` +
        `restart hashed ${hashed![1]} claimed pieces, took ${run2Ms} ms, and the seeder uploaded ${up2} B ` +
        `(${((100 * up2) / total).toFixed(1)}%; expected ${refetch} pieces = ${bytesOf(s, refetch)} B); ` +
        `total ${up1 + up2} B`,
    )
    expect(up2).toBeGreaterThanOrEqual(bytesOf(s, refetch) - PIECE)
    expect(up2).toBeLessThanOrEqual(bytesOf(s, refetch + SLACK_PIECES))
    expect(up2).toBeLessThan(0.75 * total)
  })
})
