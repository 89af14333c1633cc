import { afterEach, describe, expect, it } from 'vitest'
import type { EngineFixture } from './engine-fixture'
import { makeTorrent, openFakeEngine } from './engine-fixture'

const A = 'http://127.0.0.1:1/a'
const B = 'udp://[::1]:2'
const C = 'http://127.0.0.1:3/c'

describe('tracker commands on a fake backend', () => {
  let fx: EngineFixture
  afterEach(async () => {
    await fx?.close()
  })

  async function added(paused = false): Promise<string> {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 }, paused, trackers: [A] })
    return t.infoHash
  }

  it('replaces the tiers, without duplicates or empty tiers, and hands them to the running torrent', async () => {
    const infoHash = await added()
    expect(fx.backend.torrents[0]!.spec.trackers).toEqual([A])
    await fx.engine.editTrackers({ infoHash, tiers: [[B, C], [], [C, A]] })
    const torrent = fx.backend.torrents[0]!
    expect(torrent.trackerLists).toEqual([[B, C, A]])
    const { trackers } = await fx.engine.getTorrent({ infoHash })
    expect(trackers.map((t) => [t.url, t.tier])).toEqual([
      [B, 0],
      [C, 0],
      [A, 1],
    ])
  })

  it('starts a paused torrent later with the edited tiers and web seeds', async () => {
    const infoHash = await added(true)
    await fx.engine.editTrackers({ infoHash, tiers: [[C]] })
    await fx.engine.editWebSeeds({ infoHash, urls: ['https://x.test/f/', 'https://x.test/f/'] })
    await fx.engine.resumeTorrents({ infoHashes: [infoHash] })
    const spec = fx.backend.torrents[0]!.spec
    expect(spec.trackers).toEqual([C])
    expect(spec.trackerTiers.tiers).toEqual([[C]])
    expect(spec.webSeeds).toEqual(['https://x.test/f/'])
  })

  it('keeps one tier order (shuffled once) across a pause, and a new one for an edited list', async () => {
    const infoHash = await added()
    const first = fx.backend.torrents[0]!.spec.trackerTiers
    await fx.engine.pauseTorrents({ infoHashes: [infoHash] })
    await fx.engine.resumeTorrents({ infoHashes: [infoHash] })
    expect(fx.backend.torrents[1]!.spec.trackerTiers).toBe(first)
    await fx.engine.editTrackers({ infoHash, tiers: [[B]] })
    await fx.engine.pauseTorrents({ infoHashes: [infoHash] })
    await fx.engine.resumeTorrents({ infoHashes: [infoHash] })
    expect(fx.backend.torrents[2]!.spec.trackerTiers).not.toBe(first)
    expect(fx.backend.torrents[2]!.spec.trackerTiers.tiers).toEqual([[B]])
  })

  it('shows when the trackers are next announced to, on the ones contacted so far', async () => {
    const infoHash = await added()
    await fx.engine.editTrackers({ infoHash, tiers: [[A, B]] })
    const torrent = fx.backend.torrents[0]!
    torrent.events.trackerReply({ announce: A, seeders: 1, leechers: 2 })
    const at = Date.parse('2026-12-01T04:00:00.000Z')
    torrent.nextAnnounce = at
    const { trackers } = await fx.engine.getTorrent({ infoHash })
    expect(trackers.map((t) => [t.url, t.status, t.nextAnnounce])).toEqual([
      [A, 'working', new Date(at).toISOString()],
      [B, 'idle', null],
    ])
    torrent.nextAnnounce = null
    const during = await fx.engine.getTorrent({ infoHash })
    expect(during.trackers[0]!.nextAnnounce).toBeNull()
  })

  it('reannounces a running torrent, to one of its trackers or all', async () => {
    const infoHash = await added()
    await fx.engine.reannounce({ infoHashes: [infoHash] })
    await fx.engine.reannounce({ infoHashes: [infoHash], tracker: A })
    expect(fx.backend.torrents[0]!.reannounced).toEqual([null, A])
  })

  it('refuses to reannounce a paused torrent or to a tracker it does not have', async () => {
    const infoHash = await added(true)
    await expect(fx.engine.reannounce({ infoHashes: [infoHash] })).rejects.toMatchObject({
      code: 'invalid',
    })
    await fx.engine.resumeTorrents({ infoHashes: [infoHash] })
    await expect(
      fx.engine.reannounce({ infoHashes: [infoHash], tracker: C }),
    ).rejects.toMatchObject({ code: 'not-found' })
    expect(fx.backend.torrents[0]!.reannounced).toEqual([])
  })
})
