/**
 * Web seeds (BEP 19) on loopback HTTP servers, with no peer at all: the data can only come from the
 * server. Covers a server honouring Range, one ignoring it (200 with the whole file, as Python's
 * http.server does, which is also run for real where python3 exists), a single-file url-list ending in
 * '/', and a multi-file torrent whose file names need percent-encoding.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TorrentEngine } from '../../src/main/engine/engine'
import { skipWithoutTools } from '../support/external-tools'
import type { FileSpec } from '../support/test-data'
import { makeTorrentFixture } from '../support/torrent-builder'
import type { TorrentFixture } from '../support/torrent-builder'
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

  /**
   * Serves `files` (as `server` does) and downloads a torrent of them whose url-list is what `urlFor`
   * makes of the server's root URL; resolves once the download is verified, byte-exact.
   */
  async function downloadFrom(
    files: FileSpec[],
    server: (dataDir: string) => Promise<WebSeedServer>,
    urlFor: (root: string, probe: TorrentFixture) => string,
    name?: string,
  ): Promise<WebSeedServer> {
    const root = await tempDir('webseed')
    cleanups.push(() => fs.rm(root, { recursive: true, force: true }))
    const spec = { files, pieceLength: 16_384, ...(name ? { name } : {}) }
    // The same data and layout twice: once to serve, once with the url-list pointing at it.
    const probe = await makeTorrentFixture({ dir: path.join(root, 'served'), ...spec })
    const http = await server(probe.dataDir)
    cleanups.push(() => http.close())
    const fixture = await makeTorrentFixture({
      dir: path.join(root, 'served'),
      ...spec,
      urlList: [urlFor(http.url, probe)],
    })
    const dl = path.join(root, 'dl')
    const engine: TorrentEngine = await openEngine(path.join(root, 'state'), dl)
    cleanups.push(() => engine.close())
    const { torrent } = await engine.addTorrent({ source: fileSource(fixture), downloadDir: dl })
    await waitForTorrent(engine, torrent.infoHash, (s) => s.status === 'seeding', 30_000)
    for (const f of fixture.files) {
      expect(await sha1File(path.join(dl, ...f.path.split('/'))), f.path).toBe(
        await sha1File(f.absolutePath),
      )
    }
    return http
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

  describe.skipIf(skipWithoutTools('web seeds on python3 -m http.server', ['python3']))(
    "Python's http.server",
    () => {
      it('serves a multi-file torrent to completion', async () => {
        await downloadFrom(MULTI, startPythonServer, (url) => url, 'pack')
      })
    },
  )
})
