/**
 * Trackers by tiers (BEP 12), edited on a running torrent, reannounced, kept across a restart, and a UDP
 * tracker over IPv6; every tracker listens on 127.0.0.1 or ::1.
 */
import { promises as fs } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createDispatcher } from '../../src/main/api-dispatch'
import type { TorrentEngine } from '../../src/main/engine/engine'
import type { SeedlingError, TrackerEntry } from '../../src/shared/api'
import { MAX_TRACKERS_PER_TORRENT } from '../../src/shared/tracker-url'
import { HostileTracker, HostileUdpTracker, peersReply } from '../support/hostile-tracker'
import { makeTorrentFixture } from '../support/torrent-builder'
import type { TorrentFixture } from '../support/torrent-builder'
import { fileSource, openEngine, tempDir, waitForTorrent } from './helpers/engines'

const cleanups: Array<() => Promise<unknown> | unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function tracker(): Promise<HostileTracker> {
  // A long interval: any second announce in a test is one the test asked for.
  const t = await HostileTracker.start(() => peersReply([], 3600))
  cleanups.push(() => t.close())
  return t
}

/** Waits until no announce came for `ms` (a seeding torrent says `started`, then `completed`). */
async function quiet(t: HostileTracker, ms = 700): Promise<number> {
  const deadline = Date.now() + 10_000
  let count = -1
  while (count !== t.announces.length && Date.now() < deadline) {
    count = t.announces.length
    await sleep(ms)
  }
  return count
}

/** A URL on 127.0.0.1 where nothing listens: connections are refused at once. */
async function deadTrackerUrl(): Promise<string> {
  const server = http.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((r) => server.close(() => r()))
  return `http://127.0.0.1:${port}/announce`
}

interface Setup {
  root: string
  fixture: TorrentFixture
  engine: TorrentEngine
  reopen(): Promise<TorrentEngine>
}

/** A seeding torrent whose .torrent names `trackers` (one tier each). */
async function seeding(trackers: string[]): Promise<Setup> {
  const root = await tempDir('trackers-edit')
  cleanups.push(() => fs.rm(root, { recursive: true, force: true }))
  const fixture = await makeTorrentFixture({
    dir: root,
    files: [{ path: 'one.bin', size: 40_000 }],
    pieceLength: 16_384,
    trackers,
  })
  const open = async (): Promise<TorrentEngine> => {
    const e = await openEngine(path.join(root, 'state'), fixture.dataDir)
    cleanups.push(() => e.close())
    return e
  }
  const engine = await open()
  await engine.addTorrent({ source: fileSource(fixture) })
  await waitForTorrent(engine, fixture.infoHash, (s) => s.status === 'seeding')
  return {
    root,
    fixture,
    engine,
    reopen: async () => {
      await engine.close()
      return open()
    },
  }
}

async function trackerEntries(
  engine: TorrentEngine,
  infoHash: string,
  until: (entries: TrackerEntry[]) => boolean,
  timeoutMs = 15_000,
): Promise<TrackerEntry[]> {
  const deadline = Date.now() + timeoutMs
  let last: TrackerEntry[] = []
  while (Date.now() < deadline) {
    last = (await engine.getTorrent({ infoHash })).trackers
    if (until(last)) return last
    await sleep(100)
  }
  throw new Error(`tracker list never matched; last: ${JSON.stringify(last)}`)
}

describe('tracker tiers (BEP 12)', () => {
  it('announces to the second tier only when the first one is down', async () => {
    const first = await tracker()
    const second = await tracker()
    const { engine, fixture } = await seeding([first.url, second.url])
    await first.waitForAnnounces(1)
    await sleep(1500)
    expect(second.announces).toHaveLength(0)

    const dead = await deadTrackerUrl()
    const third = await tracker()
    await engine.editTrackers({ infoHash: fixture.infoHash, tiers: [[dead], [third.url]] })
    await third.waitForAnnounces(1)
    const entries = await trackerEntries(engine, fixture.infoHash, (list) =>
      list.every((t) => t.status === 'working' || t.status === 'error'),
    )
    expect(entries.map((t) => [t.url, t.tier, t.status])).toEqual([
      [dead, 0, 'error'],
      [third.url, 1, 'working'],
    ])
  })
})

describe('editing trackers', () => {
  it('announces to a tracker added to a running torrent, and says stop to the one removed', async () => {
    const old = await tracker()
    const { engine, fixture } = await seeding([old.url])
    await old.waitForAnnounces(1)
    const before = await quiet(old)
    const added = await tracker()
    await engine.editTrackers({ infoHash: fixture.infoHash, tiers: [[added.url]] })
    await added.waitForAnnounces(1)
    expect(added.announces[0]!.event).toBe('started')
    await old.waitForAnnounces(before + 1)
    expect(old.announces[before]!.event).toBe('stopped')
    const { trackers } = await engine.getTorrent({ infoHash: fixture.infoHash })
    expect(trackers.map((t) => t.url)).toEqual([added.url])
  })

  it('reannounces at once, to every tier or to the tracker named', async () => {
    const a = await tracker()
    const b = await tracker()
    const { engine, fixture } = await seeding([a.url, b.url])
    await a.waitForAnnounces(1)
    const before = await quiet(a)
    await engine.reannounce({ infoHashes: [fixture.infoHash] })
    await a.waitForAnnounces(before + 1, 5000)
    expect(a.announces[before]!.event).toBeNull()
    expect(b.announces).toHaveLength(0)
    await engine.reannounce({ infoHashes: [fixture.infoHash], tracker: b.url })
    await b.waitForAnnounces(1, 5000)
  })

  it('keeps the edited list across a restart', async () => {
    const old = await tracker()
    const setup = await seeding([old.url])
    const kept = await tracker()
    await setup.engine.editTrackers({
      infoHash: setup.fixture.infoHash,
      tiers: [[kept.url, kept.url], []],
    })
    await setup.engine.editWebSeeds({
      infoHash: setup.fixture.infoHash,
      urls: ['http://127.0.0.1:9/files/'],
    })
    const engine = await setup.reopen()
    const oldAnnounces = old.announces.length
    await kept.waitForAnnounces(2)
    const detail = await engine.getTorrent({ infoHash: setup.fixture.infoHash })
    expect(detail.trackers.map((t) => t.url)).toEqual([kept.url])
    const session = JSON.parse(
      await fs.readFile(path.join(setup.root, 'state', 'session.json'), 'utf8'),
    ) as { torrents: Array<{ trackerTiers?: string[][]; webSeeds?: string[] }> }
    expect(session.torrents[0]).toMatchObject({
      trackerTiers: [[kept.url]],
      webSeeds: ['http://127.0.0.1:9/files/'],
    })
    await sleep(500)
    expect(old.announces).toHaveLength(oldAnnounces)
  })

  it('refuses bad lists with code invalid, and changes nothing', async () => {
    const t = await tracker()
    const { engine, fixture } = await seeding([t.url])
    const dispatch = createDispatcher(engine)
    const infoHash = fixture.infoHash
    const tooMany = Array.from({ length: MAX_TRACKERS_PER_TORRENT + 1 }, (_, i) => [
      `http://127.0.0.1:1/announce?n=${i}`,
    ])
    const bad: Array<[string, unknown]> = [
      ['editTrackers', { infoHash, tiers: [['javascript:alert(1)']] }],
      ['editTrackers', { infoHash, tiers: [['file:///etc/passwd']] }],
      ['editTrackers', { infoHash, tiers: [['http://127.0.0.1:1/a\nb']] }],
      ['editTrackers', { infoHash, tiers: tooMany }],
      ['editWebSeeds', { infoHash, urls: ['udp://127.0.0.1:1'] }],
      ['reannounce', { infoHashes: [infoHash], tracker: 'ftp://127.0.0.1/' }],
    ]
    for (const [method, params] of bad) {
      const err = await dispatch(method, params).then(
        () => null,
        (e: unknown) => e as SeedlingError,
      )
      expect(err?.code, `${method} ${JSON.stringify(params).slice(0, 80)}`).toBe('invalid')
    }
    await expect(
      dispatch('reannounce', { infoHashes: [infoHash], tracker: 'http://127.0.0.1:2/other' }),
    ).rejects.toMatchObject({ code: 'not-found' })
    const { trackers } = await engine.getTorrent({ infoHash })
    expect(trackers.map((x) => x.url)).toEqual([t.url])
  })
})

describe('UDP tracker over IPv6', () => {
  it('announces to udp://[::1] and reads its IPv6 reply', async () => {
    const udp = await HostileUdpTracker.start([{ host: '::1', port: 6881 }], '::1')
    cleanups.push(() => udp.close())
    const { engine, fixture } = await seeding([udp.url])
    const entries = await trackerEntries(engine, fixture.infoHash, (list) =>
      list.some((t) => t.status !== 'announcing'),
    )
    expect(entries[0]).toMatchObject({ url: udp.url, status: 'working', error: null })
    expect(udp.announces).toBeGreaterThan(0)
  })
})
