import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineFixture } from '../engine/engine-fixture'
import { makeTorrent, openFakeEngine } from '../engine/engine-fixture'
import { runTrackers, runWebSeeds } from './trackers-command'

const A = 'http://127.0.0.1:1/a'
const B = 'udp://[::1]:2'

describe('seedling trackers', () => {
  let fx: EngineFixture | null = null
  afterEach(async () => {
    await fx?.close()
    fx = null
  })

  /** A saved session with one torrent (tracker A) and no engine running on it. */
  async function saved(): Promise<{ stateDir: string; infoHash: string }> {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 }, trackers: [A] })
    await fx.engine.close()
    return { stateDir: path.join(fx.root, 'state'), infoHash: t.infoHash }
  }

  it('lists, adds and removes the tiers of a saved torrent, and the session keeps them', async () => {
    const { stateDir, infoHash } = await saved()
    expect(await runTrackers('list', { stateDir, infoHash, urls: [] })).toEqual([`tier 1  ${A}`])
    expect(await runTrackers('add', { stateDir, infoHash, urls: [B] })).toEqual([
      `tier 1  ${A}`,
      `tier 2  ${B}`,
    ])
    expect(await runTrackers('remove', { stateDir, infoHash, urls: [A] })).toEqual([
      `tier 1  ${B}`,
    ])
    const session = JSON.parse(await fs.readFile(path.join(stateDir, 'session.json'), 'utf8')) as {
      torrents: Array<{ trackerTiers?: string[][] }>
    }
    expect(session.torrents[0]!.trackerTiers).toEqual([[B]])
  })

  it('refuses a bad URL, an unknown torrent or tracker, and a state folder in use', async () => {
    const { stateDir, infoHash } = await saved()
    await expect(
      runTrackers('add', { stateDir, infoHash, urls: ['file:///etc/passwd'] }),
    ).rejects.toMatchObject({ code: 'invalid' })
    await expect(
      runTrackers('remove', { stateDir, infoHash, urls: [B] }),
    ).rejects.toMatchObject({ code: 'not-found' })
    await expect(
      runTrackers('list', { stateDir, infoHash: 'f'.repeat(40), urls: [] }),
    ).rejects.toMatchObject({ code: 'not-found' })
    const running = await openFakeEngine({ stateDir })
    try {
      await expect(runTrackers('list', { stateDir, infoHash, urls: [] })).rejects.toMatchObject({
        code: 'locked',
      })
    } finally {
      await running.engine.close()
      await fs.rm(running.root, { recursive: true, force: true })
    }
    expect(await runTrackers('list', { stateDir, infoHash, urls: [] })).toEqual([`tier 1  ${A}`])
  })
})

describe('seedling webseeds', () => {
  let fx: EngineFixture | null = null
  afterEach(async () => {
    await fx?.close()
    fx = null
  })

  it('adds and removes web seeds of a saved torrent, refusing what is not http or https', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
    await fx.engine.close()
    const stateDir = path.join(fx.root, 'state')
    const infoHash = t.infoHash
    expect(await runWebSeeds('list', { stateDir, infoHash, urls: [] })).toEqual(['(no web seeds)'])
    expect(await runWebSeeds('add', { stateDir, infoHash, urls: ['https://x.test/f/'] })).toEqual([
      'https://x.test/f/',
    ])
    await expect(
      runWebSeeds('add', { stateDir, infoHash, urls: ['udp://x.test:1'] }),
    ).rejects.toMatchObject({ code: 'invalid' })
    expect(
      await runWebSeeds('remove', { stateDir, infoHash, urls: ['https://x.test/f/'] }),
    ).toEqual(['(no web seeds)'])
    const session = JSON.parse(await fs.readFile(path.join(stateDir, 'session.json'), 'utf8')) as {
      torrents: Array<{ webSeeds?: string[] }>
    }
    expect(session.torrents[0]!.webSeeds).toEqual([])
  })
})
