import { promises as fs } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { Server as TrackerServer } from 'bittorrent-tracker'
import { afterEach, describe, expect, it } from 'vitest'
import { createTorrentFile } from '../../src/main/engine/create'
import type { TorrentEngine } from '../../src/main/engine/engine'
import type { TrackerEntry } from '../../src/shared/api'
import { openEngine, tempDir, waitForTorrent } from './helpers/engines'
import { writeSeededTree } from '../support/test-data'

/** A tracker that refuses every announce with a failure reason. */
function refusingTracker(): Promise<{ url: string; close: () => void }> {
  return new Promise((resolve) => {
    const server = http.createServer((_req, res) => {
      res.end('d14:failure reason7:go awaye')
    })
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({ url: `http://127.0.0.1:${port}/announce`, close: () => server.close() })
    })
  })
}

function workingTracker(): Promise<{ url: string; close: () => void }> {
  return new Promise((resolve) => {
    const server = new TrackerServer({ udp: false, ws: false, stats: false })
    server.on('listening', () => {
      const { port } = server.http!.address() as AddressInfo
      resolve({ url: `http://127.0.0.1:${port}/announce`, close: () => server.close() })
    })
    server.listen(0, '127.0.0.1')
  })
}

describe('tracker status', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })

  // The refusing tracker is the first tier, so the walk (BEP 12) goes on to the working one.
  it('shows per tracker whether it works, with its counts or its error', async () => {
    const good = await workingTracker()
    cleanups.push(good.close)
    const bad = await refusingTracker()
    cleanups.push(bad.close)
    const root = await tempDir('trackers')
    cleanups.push(() => fs.rm(root, { recursive: true, force: true }))
    await writeSeededTree(root, [{ path: 'one.bin', size: 50_000 }], 'trackers-1')
    const { torrent } = await createTorrentFile({
      path: path.join(root, 'one.bin'),
      trackers: [bad.url, good.url],
    })
    const engine: TorrentEngine = await openEngine(path.join(root, 'state'), root)
    cleanups.push(() => engine.close())
    const { torrent: added } = await engine.addTorrent({
      source: { kind: 'file', data: Buffer.from(torrent).toString('base64') },
    })
    await waitForTorrent(engine, added.infoHash, (s) => s.status === 'seeding')

    const deadline = Date.now() + 20_000
    let trackers: TrackerEntry[] = []
    while (Date.now() < deadline) {
      trackers = (await engine.getTorrent({ infoHash: added.infoHash })).trackers
      if (trackers.every((t) => t.status === 'working' || t.status === 'error')) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const byUrl = new Map(trackers.map((t) => [t.url, t]))
    expect(byUrl.get(good.url)).toMatchObject({
      status: 'working',
      tier: 1,
      seeders: 1,
      error: null,
    })
    expect(byUrl.get(good.url)?.lastAnnounce).not.toBeNull()
    expect(byUrl.get(good.url)?.nextAnnounce).not.toBeNull()
    expect(byUrl.get(bad.url)).toMatchObject({ status: 'error', tier: 0, error: 'go away' })
  })
})
