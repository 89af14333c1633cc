import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TorrentSummary } from '@shared/api'
import { FakeBackend } from './backend/fake-backend'
import { checkOnDisk } from './disk-check'
import { TorrentEngine } from './engine'
import type { EngineFixture } from './engine-fixture'
import { makeTorrent, openFakeEngine, tick } from './engine-fixture'
import { decodeTorrentFile } from './metainfo'
import { makeTorrentFixture } from '../../../test/support/torrent-builder'

// makeTorrent: a.bin (40 000 B) and b.bin (30 000 B) in 16 KiB pieces; piece 2 holds a.bin|b.bin.
const PIECES = [16_384, 16_384, 16_384, 16_384, 4464]

function bitsOf(base64: string): number[] {
  const bits = Buffer.from(base64, 'base64')
  return PIECES.map((_, i) => i).filter((i) => bits[i >> 3]! & (0x80 >> (i & 7)))
}

/** Ticks until the torrent's summary satisfies `done`; the check reads files, so real time passes. */
async function tickUntil(
  engine: TorrentEngine,
  done: (s: TorrentSummary) => boolean,
): Promise<TorrentSummary> {
  let last: TorrentSummary | undefined
  for (let i = 0; i < 200; i++) {
    tick(engine)
    last = (await engine.listTorrents())[0]
    if (last && done(last)) return last
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`not reached; last: ${JSON.stringify(last)}`)
}

/** Flips a byte of b.bin inside piece 3. */
async function corruptPiece3(root: string): Promise<void> {
  const file = path.join(root, 'source', 'pack', 'b.bin')
  const data = await fs.readFile(file)
  data[20_000] = 0xff
  await fs.writeFile(file, data)
}

describe('checking padded data on disk', () => {
  it('counts padding (BEP 47) as the zeros it stands for, never as a missing file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seedling-disk-check-'))
    try {
      const fixture = await makeTorrentFixture({
        dir,
        name: 'padded',
        pieceLength: 16_384,
        files: [
          { path: 'a.bin', size: 10_000 },
          { path: '.pad/6384', size: 6_384, padding: true },
          { path: 'b.bin', size: 20_000 },
        ],
      })
      const decoded = decodeTorrentFile(fixture.torrentBuffer)
      const checked = await checkOnDisk(fixture.dataDir, decoded, () => false)
      expect(Buffer.from(checked!.bitfield, 'base64')[0]).toBe(0b1110_0000)
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })
})

describe('checking a stopped torrent on disk', () => {
  let fx: EngineFixture

  afterEach(async () => {
    await fx?.close()
  })

  it('finds the pieces whose bytes hash right, and no more', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    const decoded = decodeTorrentFile(Buffer.from(t.base64, 'base64'))
    const root = path.join(fx.root, 'source')
    const whole = await checkOnDisk(root, decoded, () => false)
    expect(bitsOf(whole!.bitfield)).toEqual([0, 1, 2, 3, 4])
    expect(whole!.fileSizes).toEqual([40_000, 30_000])

    await corruptPiece3(fx.root)
    await fs.truncate(path.join(root, 'pack', 'a.bin'), 20_000)
    const partial = await checkOnDisk(root, decoded, () => false)
    // Piece 1 runs past a.bin's end now, piece 2 too; piece 3 is corrupt.
    expect(bitsOf(partial!.bitfield)).toEqual([0, 4])
    expect(partial!.fileSizes).toEqual([20_000, 30_000])

    await fs.rm(path.join(root, 'pack', 'a.bin'))
    const missing = await checkOnDisk(root, decoded, () => false)
    expect(bitsOf(missing!.bitfield)).toEqual([4])
    expect(missing!.fileModtimes[0]).toBeNull()
    expect(await checkOnDisk(root, decoded, () => true)).toBeNull()
  })

  it('a recheck while paused shows checking, then the progress on disk', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await corruptPiece3(fx.root)
    await fx.engine.addTorrent({
      source: { kind: 'file', data: t.base64 },
      downloadDir: path.join(fx.root, 'source'),
      paused: true,
    })
    tick(fx.engine)
    expect((await fx.engine.listTorrents())[0]!.status).toBe('checking')
    const checked = await tickUntil(fx.engine, (s) => s.status === 'paused')
    const expected = 70_000 - PIECES[3]!
    expect(checked).toMatchObject({ completedLength: expected, progress: expected / 70_000 })
    expect(fx.backend.torrents).toHaveLength(0)

    await fx.engine.recheckTorrent({ infoHash: t.infoHash })
    expect((await fx.engine.listTorrents())[0]!.status).toBe('checking')
    await tickUntil(fx.engine, (s) => s.status === 'paused')

    // Resumed, the stack is told what was found, as resume data.
    await fx.engine.resumeTorrents({ infoHashes: [t.infoHash] })
    const resume = fx.backend.active(t.infoHash)!.spec.resume!
    expect(bitsOf(Buffer.from(resume.bitfield).toString('base64'))).toEqual([0, 1, 2, 4])
    expect(resume.fileSizes).toEqual([40_000, 30_000])
  })

  it('after a crash, a paused torrent shows what is verified on disk, not 0 %', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    const stateDir = path.join(fx.root, 'crashed-state')
    const options = {
      stateDir,
      defaultDownloadDir: path.join(fx.root, 'source'),
      tickMs: 3_600_000,
      overrides: { port: 6881 },
    }
    const first = await TorrentEngine.open(options, new FakeBackend())
    await first.addTorrent({ source: { kind: 'file', data: t.base64 }, paused: true })
    await tickUntil(first, (s) => s.status === 'paused' && s.progress === 1)
    await first.close()
    // The crash: the engine never marked the session cleanly stopped, so resume data is not trusted.
    const file = path.join(stateDir, 'session.json')
    const session = JSON.parse(await fs.readFile(file, 'utf8')) as { cleanShutdown: boolean }
    await fs.writeFile(file, JSON.stringify({ ...session, cleanShutdown: false }))
    await corruptPiece3(fx.root)

    const second = await TorrentEngine.open(options, new FakeBackend())
    try {
      const after = await tickUntil(second, (s) => s.status === 'paused')
      expect(after.completedLength).toBe(70_000 - PIECES[3]!)
    } finally {
      await second.close()
    }
  })
})
