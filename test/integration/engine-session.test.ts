import { promises as fs } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createTorrentFile } from '../../src/main/engine/create'
import { TorrentEngine } from '../../src/main/engine/engine'
import { LOOPBACK_ONLY, openEngine, portOf, tempDir, waitForTorrent } from './helpers/engines'
import { writeSeededTree } from '../support/test-data'

const FILES = [
  { path: 'set/a.bin', size: 200_000 },
  { path: 'set/b/c.bin', size: 90_000 },
]
const PIECE = 16 * 1024

describe('engine session lifecycle', () => {
  const open: TorrentEngine[] = []
  const dirs: string[] = []

  afterEach(async () => {
    await Promise.all(open.splice(0).map((e) => e.close()))
    await Promise.all(dirs.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })))
  })

  async function seededTorrent() {
    const root = await tempDir('session')
    dirs.push(root)
    const data = path.join(root, 'data')
    await writeSeededTree(data, FILES, 'engine-session-1')
    const { torrent, decoded } = await createTorrentFile({
      path: path.join(data, 'set'),
      pieceLength: PIECE,
    })
    const state = path.join(root, 'state')
    const engine = await openEngine(state, data)
    open.push(engine)
    const data64 = Buffer.from(torrent).toString('base64')
    const { torrent: added } = await engine.addTorrent({ source: { kind: 'file', data: data64 } })
    await waitForTorrent(engine, added.infoHash, (s) => s.status === 'seeding')
    return { root, data, state, engine, infoHash: added.infoHash, decoded }
  }

  async function reopen(state: string, data: string): Promise<TorrentEngine> {
    const engine = await openEngine(state, data)
    open.push(engine)
    return engine
  }

  async function closeEngine(engine: TorrentEngine): Promise<void> {
    await engine.close()
    open.splice(open.indexOf(engine), 1)
  }

  /** Flips a byte in the middle of a file, keeping its size and mtime: invisible without hashing. */
  async function corruptKeepingMtime(file: string): Promise<void> {
    const st = await fs.stat(file)
    const handle = await fs.open(file, 'r+')
    const buf = Buffer.alloc(1)
    await handle.read(buf, 0, 1, 1000)
    buf[0] = buf[0]! ^ 0xff
    await handle.write(buf, 0, 1, 1000)
    await handle.close()
    await fs.utimes(file, st.atime, st.mtime)
  }

  it('after a clean exit a complete torrent seeds again from its resume data, without a recheck', async () => {
    const { data, state, engine, infoHash } = await seededTorrent()
    await closeEngine(engine)
    const saved = JSON.parse(await fs.readFile(path.join(state, 'session.json'), 'utf8'))
    expect(saved.cleanShutdown).toBe(true)
    expect(saved.torrents[0].resume.bitfield).toBeTruthy()

    // A recheck would notice this; trusting clean resume data does not, which proves no rehash ran.
    await corruptKeepingMtime(path.join(data, 'set/a.bin'))
    const again = await reopen(state, data)
    const s = await waitForTorrent(again, infoHash, (t) => t.status === 'seeding', 10_000)
    expect(s.progress).toBe(1)
    // The explicit recheck the user can ask for does find it.
    await again.recheckTorrent({ infoHash })
    const rechecked = await waitForTorrent(again, infoHash, (t) => t.status === 'downloading')
    expect(rechecked.progress).toBeLessThan(1)
  })

  it('after a crash every piece is rehashed and a damaged one is not trusted', async () => {
    const { data, state, engine, infoHash } = await seededTorrent()
    // Simulate a crash: the running engine's state on disk says "not clean"; nothing is closed.
    const running = JSON.parse(await fs.readFile(path.join(state, 'session.json'), 'utf8'))
    expect(running.cleanShutdown).toBe(false)
    const crashedState = path.join(path.dirname(state), 'crashed-state')
    await fs.mkdir(crashedState)
    await fs.cp(path.join(state, 'torrents'), path.join(crashedState, 'torrents'), {
      recursive: true,
    })
    await fs.copyFile(path.join(state, 'session.json'), path.join(crashedState, 'session.json'))
    await closeEngine(engine)

    await corruptKeepingMtime(path.join(data, 'set/a.bin'))
    const again = await reopen(crashedState, data)
    const s = await waitForTorrent(again, infoHash, (t) => t.status === 'downloading')
    expect(s.progress).toBeLessThan(1)
    expect(s.completedLength).toBe(200_000 + 90_000 - PIECE)
  })

  it('keeps torrents, pause state, selection and totals across restarts', async () => {
    const { data, state, engine, infoHash } = await seededTorrent()
    await engine.pauseTorrents({ infoHashes: [infoHash] })
    expect((await engine.listTorrents())[0]?.status).toBe('paused')
    await engine.setFileSelection({ infoHash, files: [{ index: 1, selected: false }] })
    await engine.updateSettings({ uploadLimit: 123_456 })
    await closeEngine(engine)

    const again = await reopen(state, data)
    const [t] = await again.listTorrents()
    expect(t?.infoHash).toBe(infoHash)
    expect(t?.status).toBe('paused')
    const detail = await again.getTorrent({ infoHash })
    expect(detail.files.map((f) => f.selected)).toEqual([true, false])
    expect((await again.getSettings()).uploadLimit).toBe(123_456)

    await again.resumeTorrents({ infoHashes: [infoHash] })
    const resumed = await waitForTorrent(again, infoHash, (s) => s.status === 'seeding')
    expect(resumed.selectedLength).toBe(200_000)
  })

  it('restores the session from its backup when the file is corrupt, and says so', async () => {
    const { data, state, engine, infoHash } = await seededTorrent()
    await engine.pauseTorrents({ infoHashes: [infoHash] })
    await closeEngine(engine)
    await fs.writeFile(path.join(state, 'session.json'), '{"version": 1, "torr')
    const again = await reopen(state, data)
    expect((await again.listTorrents()).map((t) => t.infoHash)).toEqual([infoHash])
    expect((await again.getStats()).sessionWarning).toMatch(/session\.json\.bak/)
  })

  it('removing with data deletes only the torrent’s own files, never the download folder', async () => {
    const { data, engine, infoHash } = await seededTorrent()
    await fs.writeFile(path.join(data, 'set', 'mine.txt'), 'user file')
    await fs.writeFile(path.join(data, 'unrelated.txt'), 'keep me')
    await engine.removeTorrent({ infoHash, deleteData: true })
    expect(await engine.listTorrents()).toEqual([])
    await expect(fs.stat(path.join(data, 'set/a.bin'))).rejects.toThrow()
    await expect(fs.stat(path.join(data, 'set/b'))).rejects.toThrow()
    expect(await fs.readFile(path.join(data, 'set', 'mine.txt'), 'utf8')).toBe('user file')
    expect(await fs.readFile(path.join(data, 'unrelated.txt'), 'utf8')).toBe('keep me')
  })

  it('removing without data keeps the files; a bad info hash is a clear error', async () => {
    const { data, engine, infoHash } = await seededTorrent()
    await engine.removeTorrent({ infoHash, deleteData: false })
    expect((await fs.stat(path.join(data, 'set/a.bin'))).size).toBe(200_000)
    await expect(engine.removeTorrent({ infoHash, deleteData: false })).rejects.toThrow(
      /no torrent with info hash/,
    )
  })

  it('moves a torrent’s data to another folder and keeps seeding it', async () => {
    const { root, data, engine, infoHash } = await seededTorrent()
    const target = path.join(root, 'moved')
    await engine.moveTorrent({ infoHash, downloadDir: target })
    expect((await fs.stat(path.join(target, 'set/b/c.bin'))).size).toBe(90_000)
    await expect(fs.stat(path.join(data, 'set'))).rejects.toThrow()
    const s = await waitForTorrent(engine, infoHash, (t) => t.status === 'seeding')
    expect(s.downloadDir).toBe(target)
  })

  it('rejects bad input with a clear message and adds nothing', async () => {
    const { engine } = await seededTorrent()
    const bad = Buffer.from('d4:infod4:name1:x12:piece lengthi0eee').toString('base64')
    await expect(engine.addTorrent({ source: { kind: 'file', data: bad } })).rejects.toThrow(
      /piece length/,
    )
    await expect(
      engine.addTorrent({ source: { kind: 'magnet', uri: 'magnet:?xt=urn:btih:nothex' } }),
    ).rejects.toThrow()
    expect((await engine.listTorrents()).length).toBe(1)
  })
})

describe('adding a .torrent for a magnet that is still waiting for metadata', () => {
  it('gives it its files at once, and reports a duplicate', async () => {
    const root = await tempDir('adopt')
    try {
      const data = path.join(root, 'data')
      await writeSeededTree(data, FILES, 'engine-session-2')
      const { torrent, decoded } = await createTorrentFile({
        path: path.join(data, 'set'),
        pieceLength: PIECE,
      })
      // No peers at all: the metadata can only come from the .torrent.
      const engine = await openEngine(path.join(root, 'state'), data)
      try {
        const { torrent: magnet } = await engine.addTorrent({
          source: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${decoded.meta.infoHash}` },
        })
        expect(magnet.hasMetadata).toBe(false)
        const again = await engine.addTorrent({
          source: { kind: 'file', data: Buffer.from(torrent).toString('base64') },
        })
        expect(again.duplicate).toBe(true)
        expect(again.torrent.hasMetadata).toBe(true)
        // The data is already on disk, so the check finds it complete.
        const s = await waitForTorrent(engine, decoded.meta.infoHash, (t) => t.status === 'seeding')
        expect(s.name).toBe('set')
        expect((await engine.listTorrents()).length).toBe(1)
      } finally {
        await engine.close()
      }
    } finally {
      await fs.rm(root, { recursive: true, force: true })
    }
  })
})

describe('a listening port that is taken', () => {
  it('falls back to a free port, keeps working and closes cleanly', async () => {
    const root = await tempDir('port')
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, resolve))
    const taken = (blocker.address() as net.AddressInfo).port
    try {
      const data = path.join(root, 'data')
      await writeSeededTree(data, FILES, 'engine-session-3')
      const { torrent } = await createTorrentFile({
        path: path.join(data, 'set'),
        pieceLength: PIECE,
      })
      const logs: string[] = []
      const engine = await openEngine(path.join(root, 'state'), data, {
        overrides: { port: taken },
        log: (m) => logs.push(m),
      })
      try {
        const { torrent: added } = await engine.addTorrent({
          source: { kind: 'file', data: Buffer.from(torrent).toString('base64') },
        })
        await waitForTorrent(engine, added.infoHash, (s) => s.status === 'seeding')
        const port = await portOf(engine)
        expect(port).not.toBe(taken)
        expect(logs.join('\n')).toMatch(new RegExp(`port ${taken} is not available`))
      } finally {
        await engine.close()
      }
    } finally {
      blocker.close()
      await fs.rm(root, { recursive: true, force: true })
    }
  })
})

describe('the listening port', () => {
  it('is picked once from the dynamic range and kept across restarts', async () => {
    const root = await tempDir('first-port')
    const open = () =>
      TorrentEngine.open({
        stateDir: path.join(root, 'state'),
        defaultDownloadDir: root,
        overrides: { ...LOOPBACK_ONLY },
      })
    try {
      const first = await open()
      const { port } = await first.getSettings()
      await first.close()
      expect(port).toBeGreaterThanOrEqual(49152)
      expect(port).toBeLessThanOrEqual(65535)
      const second = await open()
      expect((await second.getSettings()).port).toBe(port)
      await second.close()
    } finally {
      await fs.rm(root, { recursive: true, force: true })
    }
  })
})
