/**
 * Web seeds (BEP 19) on loopback HTTP servers, with no peer at all: the data can only come from the
 * server. Covers a server honouring Range, one ignoring it (200 with the whole file, as Python's
 * http.server does, which is also run for real where python3 exists), a single-file url-list ending in
 * '/', and a multi-file torrent whose file names need percent-encoding; and servers that fail (an
 * error status, a reply that is not HTTP, bytes that fail verification), which show why and are
 * retried with a growing delay.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TorrentEngine } from '../../src/main/engine/engine'
import type { WebSeedInfo } from '../../src/shared/api'
import { skipWithoutTools } from '../support/external-tools'
import type { FileSpec } from '../support/test-data'
import { makeTorrentFixture } from '../support/torrent-builder'
import type { TorrentFileSpec, TorrentFixture } from '../support/torrent-builder'
import type { WebSeedServer, WebSeedServerMode } from '../support/web-seed-server'
import { startPythonServer, startWebSeedServer } from '../support/web-seed-server'
import { fileSource, openEngine, sha1File, tempDir, waitForTorrent } from './helpers/engines'

const SINGLE: FileSpec[] = [{ path: 'movie.bin', size: 300_000 }]
const MULTI: FileSpec[] = [
  { path: 'a file #1.bin', size: 100_000 },
  { path: 'sub/b?%.bin', size: 70_001 },
]

describe('web seeds', () => {
  const cleanups: Array<() => Promise<unknown>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined)
  })

  async function setUp(
    files: FileSpec[],
    server: (dataDir: string) => Promise<WebSeedServer>,
    urlFor: (root: string, probe: TorrentFixture) => string,
    name?: string,
    pieceLength = 16_384,
  ): Promise<{
    http: WebSeedServer
    engine: TorrentEngine
    fixture: TorrentFixture
    dl: string
    url: string
  }> {
    const root = await tempDir('webseed')
    cleanups.push(() => fs.rm(root, { recursive: true, force: true }))
    const spec = { files, pieceLength, ...(name ? { name } : {}) }
    // The same data and layout twice: once to serve, once with the url-list pointing at it.
    const probe = await makeTorrentFixture({ dir: path.join(root, 'served'), ...spec })
    const http = await server(probe.dataDir)
    cleanups.push(() => http.close())
    const url = urlFor(http.url, probe)
    const fixture = await makeTorrentFixture({
      dir: path.join(root, 'served'),
      ...spec,
      urlList: [url],
    })
    const dl = path.join(root, 'dl')
    const engine: TorrentEngine = await openEngine(path.join(root, 'state'), dl)
    cleanups.push(() => engine.close())
    await engine.addTorrent({ source: fileSource(fixture), downloadDir: dl })
    return { http, engine, fixture, dl, url }
  }

  /**
   * Serves `files` (as `server` does) and downloads a torrent of them whose url-list is what `urlFor`
   * makes of the server's root URL; resolves once the download is verified, byte-exact, and the web
   * seed shows as working.
   */
  async function downloadFrom(
    files: FileSpec[],
    server: (dataDir: string) => Promise<WebSeedServer>,
    urlFor: (root: string, probe: TorrentFixture) => string,
    name?: string,
  ): Promise<WebSeedServer> {
    const { http, engine, fixture, dl, url } = await setUp(files, server, urlFor, name)
    await waitForTorrent(engine, fixture.infoHash, (s) => s.status === 'seeding', 30_000)
    for (const f of fixture.files) {
      const got = path.join(dl, ...f.path.split('/'))
      if (f.padding) await expect(fs.stat(got), f.path).rejects.toThrow(/ENOENT/)
      else expect(await sha1File(got), f.path).toBe(await sha1File(f.absolutePath))
    }
    const seeds = (await engine.getTorrent({ infoHash: fixture.infoHash })).webSeeds
    expect(seeds).toHaveLength(1)
    expect(seeds[0]).toMatchObject({ url, error: null, nextRetry: null })
    expect(seeds[0]!.downloaded).toBeGreaterThanOrEqual(fixture.length)
    return http
  }

  /** The torrent's one web seed once `until` holds (polled for at most `ms`), or the last one seen. */
  async function watchSeed(
    engine: TorrentEngine,
    infoHash: string,
    until: (seed: WebSeedInfo | undefined) => boolean,
    ms: number,
  ): Promise<WebSeedInfo | undefined> {
    const deadline = Date.now() + ms
    let seen: WebSeedInfo | undefined
    while (Date.now() < deadline) {
      ;[seen] = (await engine.getTorrent({ infoHash })).webSeeds
      if (until(seen)) break
      await new Promise((r) => setTimeout(r, 100))
    }
    return seen
  }

  const node = (mode: WebSeedServerMode) => (dir: string) => startWebSeedServer(dir, mode)

  it('downloads a single file from a server that honours Range', async () => {
    const http = await downloadFrom(SINGLE, node('range'), (url) => `${url}movie.bin`)
    expect(http.requests.every((r) => r.path === '/movie.bin')).toBe(true)
  })

  it('downloads from a server that ignores Range (200 with the whole file)', async () => {
    await downloadFrom(SINGLE, node('ignore-range'), (url) => `${url}movie.bin`)
  })

  it('appends the name to a single-file url-list entry that ends in / (BEP 19)', async () => {
    const http = await downloadFrom(SINGLE, node('range'), (url) => url)
    expect(http.requests.length).toBeGreaterThan(0)
    expect(http.requests.every((r) => r.path === '/movie.bin')).toBe(true)
  })

  it('asks for each file of a multi-file torrent by its percent-encoded path', async () => {
    const http = await downloadFrom(MULTI, node('ignore-range'), (url) => url, 'pack')
    const asked = new Set(http.requests.map((r) => r.path))
    expect(asked).toEqual(new Set(['/pack/a file #1.bin', '/pack/sub/b?%.bin']))
  })

  it('never asks a server for BEP 47 padding files: they are zeros no server holds', async () => {
    const padded: TorrentFileSpec[] = [
      { path: 'first.bin', size: 20_000 },
      { path: '.pad/12768', size: 2 * 16_384 - 20_000, padding: true },
      { path: 'second.bin', size: 30_001 },
    ]
    const http = await downloadFrom(padded, node('range'), (url) => url, 'padded')
    expect(new Set(http.requests.map((r) => r.path))).toEqual(
      new Set(['/padded/first.bin', '/padded/second.bin']),
    )
  })

  it('shows a failing server with its reason and retries it with a growing delay', async () => {
    // 32 pieces: a seed retried piece by piece would get a request for each of them at once.
    const { http, engine, fixture } = await setUp(
      [{ path: 'broken.bin', size: 32 * 16_384 }],
      node('error-500'),
      (url) => `${url}broken.bin`,
    )
    // Long enough for the 2 s and 4 s waits and the tries after them.
    await new Promise((r) => setTimeout(r, 9_000))
    const seen = await watchSeed(engine, fixture.infoHash, (s) => s?.state === 'backoff', 5_000)
    expect(seen).toMatchObject({ state: 'backoff', downloaded: 0 })
    expect(seen!.error).toMatch(/HTTP 500/)
    expect(Date.parse(seen!.nextRetry!)).toBeGreaterThan(Date.now() - 1000)
    // Rounds of requests (at most the four a web seed has out at once) more than a second apart: tried
    // again after 2 s, then 4 s, and so on; not at once, and not for every piece.
    const rounds: number[][] = []
    for (const { at } of http.requests) {
      const last = rounds[rounds.length - 1]
      if (last && at - last[last.length - 1]! < 1000) last.push(at)
      else rounds.push([at])
    }
    expect(rounds.length).toBeGreaterThanOrEqual(2)
    expect(rounds.length).toBeLessThanOrEqual(4)
    for (const round of rounds) expect(round.length).toBeLessThanOrEqual(4)
    expect((await engine.listTorrents())[0]!.progress).toBe(0)
  })

  it('shows a server that answers with garbage as unusable, and why', async () => {
    const { engine, fixture } = await setUp(SINGLE, node('garbage'), (url) => `${url}movie.bin`)
    const seen = await watchSeed(engine, fixture.infoHash, (s) => s?.state === 'backoff', 20_000)
    expect(seen?.state).toBe('backoff')
    expect(seen?.error).toMatch(/web seed unreachable/)
    expect(seen?.nextRetry).not.toBeNull()
  })

  it('backs off from a server whose bytes fail verification, longer each time', async () => {
    const { http, engine, fixture } = await setUp(
      [{ path: 'damaged.bin', size: 32 * 16_384 }],
      node('corrupt'),
      (url) => `${url}damaged.bin`,
    )
    const seen = await watchSeed(
      engine,
      fixture.infoHash,
      (s) => s?.state === 'backoff' && /failed verification/.test(s.error ?? ''),
      10_000,
    )
    expect(seen).toMatchObject({ state: 'backoff' })
    expect(seen!.error).toMatch(/failed verification/)
    // Each bad piece doubles the wait (2 s, 4 s, 8 s...): in 8 s at most a few rounds of four requests,
    // where a seed asked again at once would have been asked for all 32 pieces many times over.
    await new Promise((r) => setTimeout(r, 8_000))
    expect(http.requests.length).toBeLessThanOrEqual(4 * 4)
    expect((await engine.listTorrents())[0]!.progress).toBe(0)
  })

  describe.skipIf(skipWithoutTools('web seeds on python3 -m http.server', ['python3']))(
    "Python's http.server",
    () => {
      it('serves a multi-file torrent to completion', async () => {
        await downloadFrom(MULTI, startPythonServer, (url) => url, 'pack')
      })
    },
  )
})
