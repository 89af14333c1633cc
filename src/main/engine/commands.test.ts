import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SeedlingError } from '@shared/api'
import type { EngineFixture } from './engine-fixture'
import { flush, makeTorrent, openFakeEngine } from './engine-fixture'

describe('engine commands on a fake backend', () => {
  let fx: EngineFixture

  afterEach(async () => {
    await fx?.close()
  })

  it('adds a torrent once: a second add is a duplicate and starts nothing', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    const first = await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
    expect(first.duplicate).toBe(false)
    expect(first.torrent).toMatchObject({ infoHash: t.infoHash, name: 'pack', status: 'checking' })
    expect(fx.backend.torrents).toHaveLength(1)
    expect(fx.backend.torrents[0]!.spec).toMatchObject({
      infoHash: t.infoHash,
      downloadDir: path.join(fx.root, 'downloads'),
      selectedFiles: null,
      resume: null,
    })
    expect(fx.events.filter((e) => e.event === 'torrent:added')).toHaveLength(1)

    const again = await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
    expect(again.duplicate).toBe(true)
    expect(fx.backend.torrents).toHaveLength(1)
    expect(fx.events.filter((e) => e.event === 'torrent:added')).toHaveLength(1)
  })

  it('refuses bad input as SeedlingErrors and keeps nothing', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await expect(
      fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 }, selectedFiles: [2] }),
    ).rejects.toThrow(/out of range/)
    await expect(
      fx.engine.addTorrent({
        source: { kind: 'file', data: Buffer.from('junk').toString('base64') },
      }),
    ).rejects.toBeInstanceOf(SeedlingError)
    expect(await fx.engine.listTorrents()).toEqual([])
    expect(fx.backend.torrents).toHaveLength(0)
  })

  it('pauses with resume data and resumes from it', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
    const running = fx.backend.active(t.infoHash)!
    running.ready = true
    running.verify(0, 1)

    await fx.engine.pauseTorrents({ infoHashes: [t.infoHash] })
    expect(running.removed).toBe(true)
    const paused = (await fx.engine.listTorrents())[0]!
    expect(paused.status).toBe('paused')
    // Two of five pieces, both in the first file, survive the pause.
    expect(paused.completedLength).toBe(2 * 16 * 1024)

    await fx.engine.resumeTorrents({ infoHashes: [t.infoHash] })
    const resumed = fx.backend.active(t.infoHash)!
    expect(resumed).not.toBe(running)
    expect(resumed.spec.resume?.bitfield[0]).toBe(0b1100_0000)
    expect((await fx.engine.listTorrents())[0]!.status).toBe('checking')
  })

  it('removes a torrent: stopped in the backend, gone from the list, reported', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
    await fx.engine.removeTorrent({ infoHash: t.infoHash, deleteData: false })
    expect(fx.backend.torrents[0]!.removed).toBe(true)
    expect(await fx.engine.listTorrents()).toEqual([])
    expect(fx.events.some((e) => e.event === 'torrent:removed' && e.payload === t.infoHash)).toBe(
      true,
    )
    await expect(fx.engine.getTorrent({ infoHash: t.infoHash })).rejects.toMatchObject({
      code: 'not-found',
    })
  })

  it('passes file selections to the backend; all files selected is "no selection"', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
    const torrent = fx.backend.active(t.infoHash)!
    await fx.engine.setFileSelection({
      infoHash: t.infoHash,
      files: [{ index: 0, selected: false }],
    })
    expect(torrent.selected).toEqual([1])
    const files = (await fx.engine.getTorrent({ infoHash: t.infoHash })).files
    expect(files.map((f) => f.selected)).toEqual([false, true])

    await fx.engine.setFileSelection({
      infoHash: t.infoHash,
      files: [{ index: 0, selected: true }],
    })
    expect(torrent.selected).toBeNull()
    await expect(
      fx.engine.setFileSelection({ infoHash: t.infoHash, files: [{ index: 5, selected: true }] }),
    ).rejects.toThrow(/out of range/)
  })

  it('refuses a move onto existing files, moving nothing and restarting the torrent', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
    const target = path.join(fx.root, 'elsewhere')
    await fs.mkdir(path.join(target, 'pack'), { recursive: true })
    await expect(
      fx.engine.moveTorrent({ infoHash: t.infoHash, downloadDir: target }),
    ).rejects.toMatchObject({ code: 'duplicate' })
    const summary = (await fx.engine.listTorrents())[0]!
    expect(summary.downloadDir).toBe(path.join(fx.root, 'downloads'))
    expect(fx.backend.torrents).toHaveLength(2)
    expect(fx.backend.active(t.infoHash)?.spec.downloadDir).toBe(path.join(fx.root, 'downloads'))
  })

  it('takes a magnet link, then judges the metadata peers send for it', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    const added = await fx.engine.addTorrent({
      source: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${t.infoHash}&dn=pack` },
    })
    expect(added.torrent.status).toBe('fetching-metadata')
    const spec = fx.backend.active(t.infoHash)!.spec
    expect(spec.decoded).toBeNull()
    const other = await makeTorrent(fx.root, 'other')
    const otherInfo = await fx.engine.inspectTorrent({ kind: 'file', data: other.base64 })
    expect(otherInfo.kind).toBe('torrent')
    const infoOf = (base64: string): Buffer => {
      const bytes = Buffer.from(base64, 'base64')
      const at = bytes.indexOf('4:info') + '4:info'.length
      return bytes.subarray(at, bytes.length - 1)
    }
    expect(() => spec.onInfoDictionary(infoOf(other.base64))).toThrow(/does not match/)
    const decoded = spec.onInfoDictionary(infoOf(t.base64))
    expect(decoded.meta.infoHash).toBe(t.infoHash)
    await flush()
    expect((await fx.engine.listTorrents())[0]).toMatchObject({ name: 'pack', hasMetadata: true })
  })

  it('restarts the client on a port that is taken, and re-adds its torrents', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
    fx.backend.fail({ message: 'listen EADDRINUSE', code: 'EADDRINUSE', fatal: true })
    expect(fx.backend.starts.map((s) => s.port)).toEqual([6881, 0])
    expect(fx.backend.torrents).toHaveLength(2)
    expect(fx.backend.active(t.infoHash)).toBe(fx.backend.torrents[1])
    expect((await fx.engine.getSettings()).port).toBe(6881)
  })
})
