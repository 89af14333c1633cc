import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_TAGS_PER_TORRENT } from '@shared/labels'
import { FakeBackend } from './backend/fake-backend'
import { TorrentEngine } from './engine'
import type { EngineFixture } from './engine-fixture'
import { makeTorrent, openFakeEngine } from './engine-fixture'

describe('setLabels on a fake backend', () => {
  let fx: EngineFixture
  afterEach(async () => {
    await fx?.close()
  })

  async function twoTorrents(): Promise<[string, string]> {
    fx = await openFakeEngine()
    const a = await makeTorrent(fx.root, 'one')
    const b = await makeTorrent(fx.root, 'two')
    await fx.engine.addTorrent({ source: { kind: 'file', data: a.base64 }, paused: true })
    await fx.engine.addTorrent({ source: { kind: 'file', data: b.base64 }, paused: true })
    return [a.infoHash, b.infoHash]
  }

  const labelsOf = async (): Promise<Record<string, [string | null, string[]]>> =>
    Object.fromEntries((await fx.engine.listTorrents()).map((t) => [t.name, [t.category, t.tags]]))

  it('sets a category and adds and removes tags on several torrents at once', async () => {
    const [a, b] = await twoTorrents()
    expect(await labelsOf()).toEqual({ one: [null, []], two: [null, []] })
    await fx.engine.setLabels({
      infoHashes: [a, b],
      category: 'ISOs',
      addTags: ['x', 'y'],
      removeTags: [],
    })
    await fx.engine.setLabels({ infoHashes: [b], addTags: ['z'], removeTags: ['x'] })
    expect(await labelsOf()).toEqual({ one: ['ISOs', ['x', 'y']], two: ['ISOs', ['y', 'z']] })
    // Absent category: kept; null: taken away.
    await fx.engine.setLabels({ infoHashes: [a], addTags: [], removeTags: [] })
    await fx.engine.setLabels({ infoHashes: [b], category: null, addTags: [], removeTags: [] })
    expect(await labelsOf()).toEqual({ one: ['ISOs', ['x', 'y']], two: [null, ['y', 'z']] })
  })

  it('changes nothing when one torrent would go over the tag budget, or is unknown', async () => {
    const [a, b] = await twoTorrents()
    const many = Array.from({ length: MAX_TAGS_PER_TORRENT }, (_, i) => `t${i}`)
    await fx.engine.setLabels({ infoHashes: [b], addTags: many, removeTags: [] })
    await expect(
      fx.engine.setLabels({ infoHashes: [a, b], category: 'c', addTags: ['new'], removeTags: [] }),
    ).rejects.toThrow(/"two" would have more than 20 tags/)
    await expect(
      fx.engine.setLabels({
        infoHashes: [a, 'f'.repeat(40)],
        category: 'c',
        addTags: [],
        removeTags: [],
      }),
    ).rejects.toThrow()
    const labels = await labelsOf()
    expect(labels.one).toEqual([null, []])
    expect(labels.two![1]).toHaveLength(MAX_TAGS_PER_TORRENT)
  })

  it('takes a category and tags at add time', async () => {
    fx = await openFakeEngine()
    const a = await makeTorrent(fx.root, 'one')
    await fx.engine.addTorrent({
      source: { kind: 'file', data: a.base64 },
      paused: true,
      category: 'ISOs',
      tags: ['x', 'y', 'x'],
    })
    expect(await labelsOf()).toEqual({ one: ['ISOs', ['x', 'y']] })
  })

  it('keeps labels across a restart', async () => {
    const [a] = await twoTorrents()
    await fx.engine.setLabels({
      infoHashes: [a],
      category: 'Films',
      addTags: ['4k'],
      removeTags: [],
    })
    await fx.engine.close()
    const again = await TorrentEngine.open(
      {
        stateDir: path.join(fx.root, 'state'),
        defaultDownloadDir: path.join(fx.root, 'downloads'),
        tickMs: 3_600_000,
        overrides: { port: 6881 },
      },
      new FakeBackend(),
    )
    try {
      const one = (await again.listTorrents()).find((t) => t.name === 'one')
      expect([one?.category, one?.tags]).toEqual(['Films', ['4k']])
    } finally {
      await again.close()
    }
  })
})
