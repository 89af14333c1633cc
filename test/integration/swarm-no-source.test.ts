/** A magnet that has no way to find a peer says so instead of waiting in silence. */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { closedAfterEach, openEngine, tempDir } from './helpers/engines'

const HASH = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a'

describe('a magnet with no peer source', () => {
  const { engines, dirs } = closedAfterEach()

  it('says why it cannot find peers, not when it has one', async () => {
    const root = await tempDir('swarm-no-source')
    dirs.push(root)
    const engine = await openEngine(path.join(root, 'state'), root)
    engines.push(engine)
    const { torrent } = await engine.addTorrent({
      source: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${HASH}` },
    })
    expect(torrent.status).toBe('fetching-metadata')
    expect(torrent.note).toMatch(/cannot find peers/)

    const other = 'a'.repeat(40)
    const withPeer = await engine.addTorrent({
      source: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${other}&x.pe=127.0.0.1:9` },
    })
    expect(withPeer.torrent.note ?? null).toBeNull()
  }, 30_000)
})
