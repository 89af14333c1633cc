import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EngineStats, TorrentSummary } from '@shared/api'
import type { EngineFixture } from './engine-fixture'
import { flush, makeTorrent, openFakeEngine, tick } from './engine-fixture'
import { DONE_TICK_MS } from './ticker'

const changedBatches = (fx: EngineFixture): TorrentSummary[][] =>
  fx.events.filter((e) => e.event === 'torrents:changed').map((e) => e.payload as TorrentSummary[])

describe('the ticker on a fake backend', () => {
  let fx: EngineFixture

  afterEach(async () => {
    await fx?.close()
  })

  it('sends only the torrents whose summary changed since the last tick', async () => {
    fx = await openFakeEngine()
    const a = await makeTorrent(fx.root, 'a')
    const b = await makeTorrent(fx.root, 'b')
    await fx.engine.addTorrent({ source: { kind: 'file', data: a.base64 } })
    await fx.engine.addTorrent({ source: { kind: 'file', data: b.base64 } })

    tick(fx.engine)
    expect(
      changedBatches(fx)
        .at(-1)!
        .map((s) => s.infoHash)
        .sort(),
    ).toEqual([a.infoHash, b.infoHash].sort())
    const batches = changedBatches(fx).length
    tick(fx.engine)
    expect(changedBatches(fx)).toHaveLength(batches)

    fx.backend.active(b.infoHash)!.traffic = { downloaded: 5000, uploaded: 0 }
    tick(fx.engine)
    const last = changedBatches(fx).at(-1)!
    expect(last.map((s) => s.infoHash)).toEqual([b.infoHash])
    expect(last[0]).toMatchObject({ downloaded: 5000, downloadedTotal: 5000 })
    expect(fx.backend.capCalls).toBeGreaterThanOrEqual(3)
  })

  it('reports completion once, with completedAt in the summary it sends', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
    fx.backend.active(t.infoHash)!.finish()
    await flush()
    const done = fx.events.filter((e) => e.event === 'torrent:done')
    expect(done).toEqual([{ event: 'torrent:done', payload: t.infoHash }])
    const sent = changedBatches(fx).at(-1)![0]!
    expect(sent.status).toBe('seeding')
    expect(sent.completedAt).not.toBeNull()
    // torrent:done comes after the batch that shows the torrent complete.
    const order = fx.events.map((e) => e.event)
    expect(order.lastIndexOf('torrent:done')).toBeGreaterThan(order.lastIndexOf('torrents:changed'))

    tick(fx.engine)
    tick(fx.engine)
    await flush()
    expect(fx.events.filter((e) => e.event === 'torrent:done')).toHaveLength(1)
  })

  it('reports each finished torrent at once, with a full tick at most every DONE_TICK_MS', async () => {
    fx = await openFakeEngine()
    const hashes: string[] = []
    for (let i = 0; i < 12; i++) {
      const t = await makeTorrent(fx.root, `t${i}`)
      await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
      hashes.push(t.infoHash)
    }
    const timing = (fx.engine as unknown as { ticker: { tickTime: { count: number } } }).ticker
      .tickTime
    const before = timing.count
    // As a restored session's checks end: one torrent per turn of the event loop.
    for (const h of hashes) {
      fx.backend.active(h)!.finish()
      await flush()
      // Each one is reported at once, in a batch of its own after the first.
      expect(fx.events.at(-1)).toEqual({ event: 'torrent:done', payload: h })
      expect(
        changedBatches(fx)
          .at(-1)!
          .map((s) => s.infoHash),
      ).toContain(h)
    }
    // One full tick, which summarizes every torrent, for the first; the next waits for DONE_TICK_MS.
    expect(timing.count - before).toBe(1)
    await new Promise((r) => setTimeout(r, DONE_TICK_MS + 50))
    expect(fx.events.filter((e) => e.event === 'torrent:done')).toHaveLength(hashes.length)
    expect(timing.count - before).toBe(2)
  })

  it('listTorrents, getTorrent and getStats change nothing and emit nothing', async () => {
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
    const torrent = fx.backend.active(t.infoHash)!
    // Complete and counting, as the stack sees it, without a tick having noticed yet.
    torrent.verify(0, 1, 2, 3, 4)
    torrent.ready = true
    torrent.traffic = { downloaded: 70_000, uploaded: 1000 }
    const before = fx.events.length

    const first = await fx.engine.listTorrents()
    await fx.engine.getTorrent({ infoHash: t.infoHash })
    await fx.engine.getStats()
    const second = await fx.engine.listTorrents()
    await flush()

    expect(fx.events.length).toBe(before)
    expect(second).toEqual(first)
    expect(first[0]).toMatchObject({
      status: 'seeding',
      completedAt: null,
      downloadedTotal: 70_000,
      uploadedTotal: 1000,
    })
    // The tick is what notices completion.
    tick(fx.engine)
    await flush()
    expect(fx.events.filter((e) => e.event === 'torrent:done')).toHaveLength(1)
    expect((await fx.engine.listTorrents())[0]!.downloadedTotal).toBe(70_000)
  })

  it('sends stats only when they change', async () => {
    fx = await openFakeEngine()
    tick(fx.engine)
    tick(fx.engine)
    const stats = fx.events.filter((e) => e.event === 'stats')
    expect(stats).toHaveLength(1)
    expect(stats[0]!.payload).toMatchObject({
      port: 6881,
      torrents: 0,
      webrtc: { available: false },
    })
  })
})

/** Payload counters grow by `bytes` over one second, then the engine ticks. */
/** One second in which `down` and `up` payload bytes moved. */
function second(fx: EngineFixture, infoHash: string, down: number, up = 0): void {
  const t = fx.backend.active(infoHash)!
  vi.advanceTimersByTime(1000)
  t.traffic = { downloaded: t.traffic.downloaded + down, uploaded: t.traffic.uploaded + up }
  tick(fx.engine)
}

const lastStats = (fx: EngineFixture): EngineStats =>
  fx.events.filter((e) => e.event === 'stats').at(-1)!.payload as EngineStats

describe('speeds and ETA in the ticker', () => {
  let fx: EngineFixture

  afterEach(async () => {
    vi.useRealTimers()
    await fx?.close()
  })

  async function downloading(): Promise<string> {
    vi.useFakeTimers({ toFake: ['performance'] })
    fx = await openFakeEngine()
    const t = await makeTorrent(fx.root)
    await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
    fx.backend.active(t.infoHash)!.ready = true
    return t.infoHash
  }

  it('keeps the ETA steady while a limited download arrives in bursts', async () => {
    const infoHash = await downloading()
    // 70 000 bytes to go (nothing verified); the budget comes 4000 B at once, then 10 B/s for three.
    const pattern = [4000, 10, 10, 10]
    const expected = 70_000 / (pattern.reduce((a, b) => a + b) / pattern.length)
    const etas: number[] = []
    for (let s = 1; s <= 90; s++) {
      second(fx, infoHash, pattern[s % pattern.length]!)
      const sent = (await fx.engine.listTorrents())[0]!
      expect(sent.status).toBe('downloading')
      if (s > 30) etas.push(sent.eta!)
    }
    expect(Math.min(...etas)).toBeGreaterThan(0.8 * expected)
    expect(Math.max(...etas)).toBeLessThan(1.25 * expected)
  })

  it('shows no download speed once finished, whatever the stack still reports', async () => {
    const infoHash = await downloading()
    for (let s = 0; s < 6; s++) second(fx, infoHash, 1000, 200)
    expect(changedBatches(fx).at(-1)![0]).toMatchObject({ downloadSpeed: 1000, uploadSpeed: 200 })
    expect(lastStats(fx)).toMatchObject({ downloadSpeed: 1000, uploadSpeed: 200 })

    fx.backend.active(infoHash)!.finish()
    await flush()
    const done = changedBatches(fx).at(-1)![0]!
    expect(done).toMatchObject({ status: 'seeding', downloadSpeed: 0, eta: null })
    expect(lastStats(fx).downloadSpeed).toBe(0)

    // Seeding: no payload arrives (keep-alives and HAVEs are not counted by the backend).
    for (let s = 0; s < 3; s++) second(fx, infoHash, 0, 500)
    const seeding = changedBatches(fx).at(-1)![0]!
    expect(seeding).toMatchObject({ status: 'seeding', downloadSpeed: 0 })
    expect(seeding.uploadSpeed).toBeGreaterThan(0)
    expect(lastStats(fx)).toMatchObject({ downloadSpeed: 0, uploadSpeed: seeding.uploadSpeed })
  })
})
