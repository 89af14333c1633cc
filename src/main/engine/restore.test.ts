import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeBackend } from './backend/fake-backend'
import { TorrentEngine } from './engine'
import type { EngineFixture } from './engine-fixture'
import { flush, makeTorrent, openFakeEngine } from './engine-fixture'
import { ATTACH_BATCH } from './persistence'

const COUNT = ATTACH_BATCH * 2 + 5

/** A closed session of COUNT running torrents, and a way to reopen it on a fresh fake backend. */
async function sessionOf(fx: EngineFixture): Promise<{
  hashes: string[]
  reopen: () => Promise<{ engine: TorrentEngine; backend: FakeBackend }>
}> {
  const hashes: string[] = []
  for (let i = 0; i < COUNT; i++) {
    const t = await makeTorrent(fx.root, `pack-${i}`)
    await fx.engine.addTorrent({ source: { kind: 'file', data: t.base64 } })
    hashes.push(t.infoHash)
  }
  await fx.engine.close()
  const reopen = async () => {
    const backend = new FakeBackend()
    const engine = await TorrentEngine.open(
      {
        stateDir: path.join(fx.root, 'state'),
        defaultDownloadDir: path.join(fx.root, 'downloads'),
        tickMs: 3_600_000,
        overrides: { port: 6881 },
      },
      backend,
    )
    return { engine, backend }
  }
  return { hashes, reopen }
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await flush()
}

describe('restoring a large session', () => {
  let fx: EngineFixture
  let engine: TorrentEngine | undefined

  afterEach(async () => {
    await engine?.close()
    await fx?.close()
  })

  it('answers after the first batch and starts the rest in turn, leaving a torrent paused meanwhile', async () => {
    fx = await openFakeEngine()
    const { hashes, reopen } = await sessionOf(fx)
    const opened = await reopen()
    engine = opened.engine
    expect(opened.backend.torrents).toHaveLength(ATTACH_BATCH)
    const waiting = (await engine.listTorrents()).filter((s) => !opened.backend.active(s.infoHash))
    expect(waiting).toHaveLength(COUNT - ATTACH_BATCH)
    // Waiting to start is not "paused": the user did not pause it and it will run.
    expect(new Set(waiting.map((s) => s.status))).toEqual(new Set(['checking']))

    const last = hashes[COUNT - 1]!
    await engine.pauseTorrents({ infoHashes: [last] })
    await until(() => opened.backend.torrents.length >= COUNT - 1)
    await flush()
    expect(opened.backend.torrents).toHaveLength(COUNT - 1)
    expect(opened.backend.active(last)).toBeUndefined()
    expect((await engine.getTorrent({ infoHash: last })).summary.paused).toBe(true)
  })

  it('closing mid-restore starts no more and keeps every torrent running in the session', async () => {
    fx = await openFakeEngine()
    const { hashes, reopen } = await sessionOf(fx)
    const first = await reopen()
    await first.engine.close()
    expect(first.backend.torrents.length).toBeLessThan(COUNT)

    const second = await reopen()
    engine = second.engine
    await until(() => second.backend.torrents.length >= COUNT)
    expect(second.backend.torrents.map((t) => t.spec.infoHash).sort()).toEqual([...hashes].sort())
  })

  it('resume all starts every torrent, yielding between batches', async () => {
    fx = await openFakeEngine()
    const { hashes, reopen } = await sessionOf(fx)
    const opened = await reopen()
    engine = opened.engine
    await until(() => opened.backend.torrents.length >= COUNT)
    await engine.pauseTorrents({ infoHashes: hashes })
    // The event loop's turns seen by each start: all in one turn would mean the loop was held. A
    // setImmediate chain counts turns exactly (a timer would not be due between quick batches).
    let turns = 0
    let counting = true
    const spin = (): void => {
      turns++
      if (counting) setImmediate(spin)
    }
    setImmediate(spin)
    const seen: number[] = []
    const add = opened.backend.add.bind(opened.backend)
    opened.backend.add = (spec, events) => (seen.push(turns), add(spec, events))
    try {
      await engine.resumeTorrents({ infoHashes: hashes })
    } finally {
      counting = false
    }
    expect(hashes.every((h) => opened.backend.active(h))).toBe(true)
    expect(seen).toHaveLength(COUNT)
    expect(new Set(seen).size).toBeGreaterThan(1)
  })
})
