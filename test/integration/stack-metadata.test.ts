/**
 * Patch: webtorrent's `parseMetadata` option (client or torrent) replaces parse-torrent for an info
 * dictionary fetched from peers over ut_metadata, and ut_metadata serves the exact info bytes
 * (patches/webtorrent+3.0.21.patch, Torrent#_onMetadata). Two or three clients on 127.0.0.1.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import parseTorrent from 'parse-torrent'
import { afterEach, describe, expect, it } from 'vitest'
import type { ParsedTorrentLike, ParseMetadata, Torrent } from 'webtorrent'
import { listeningPort, seed, StackFixture, withTimeout } from './helpers/stack'
import { encode } from '../../src/main/engine/bencode'
import { decodeDict } from '../support/bencode-view'
import { seededBytes, writeContents } from '../support/test-data'

const fx = new StackFixture()
afterEach(() => fx.cleanup())

async function seeder(): Promise<{ torrent: Torrent; port: number; a: Uint8Array; b: Uint8Array }> {
  const dir = await fx.tempDir()
  const a = seededBytes(40_000, 21)
  const b = seededBytes(9_000, 22)
  await writeContents(dir, { 'pkg/a.bin': a, 'pkg/sub/b.bin': b })
  const client = fx.client()
  const torrent = await seed(client, path.join(dir, 'pkg'), { path: dir, pieceLength: 16384 })
  return { torrent, port: await listeningPort(client), a, b }
}

/** A stand-in for the engine's strict decoder: parse, then prefix every file name with `safe-`. */
const renaming: ParseMetadata = async (infoBuffer) => {
  const info = decodeDict(infoBuffer)
  const parsed: ParsedTorrentLike = await parseTorrent(encode({ info }))
  parsed.infoBuffer = infoBuffer
  parsed.infoHash = createHash('sha1').update(infoBuffer).digest('hex')
  parsed.files = parsed.files.map((f) => ({
    ...f,
    name: `safe-${f.name}`,
    path: path.join(path.dirname(f.path), `safe-${f.name}`),
  }))
  // a sanitizer may also rewrite `info` itself: what we serve over ut_metadata must not change
  parsed.info = { ...info, name: new TextEncoder().encode('renamed') }
  return parsed
}

function magnet(infoHash: string): string {
  return `magnet:?xt=urn:btih:${infoHash}`
}

function until<T>(torrent: Torrent, event: string, ms: number): Promise<T> {
  return withTimeout(
    new Promise<T>((resolve, reject) => {
      torrent.once(event, (v: T) => resolve(v))
      if (event !== 'error') torrent.once('error', reject)
    }),
    ms,
    event,
  )
}

describe('parseMetadata hook for magnet metadata', () => {
  it('uses the hook (torrent option) for the file layout and serves the exact info bytes', async () => {
    const s = await seeder()
    const dl = await fx.tempDir()
    const leecher = fx.client()
    let calls = 0
    const t = leecher.add(magnet(s.torrent.infoHash), {
      path: dl,
      parseMetadata: async (buf) => {
        calls++
        expect(createHash('sha1').update(buf).digest('hex')).toBe(s.torrent.infoHash)
        return renaming(buf)
      },
    })
    t.once('infoHash', () => t.addPeer(`127.0.0.1:${s.port}`))
    await until(t, 'done', 20_000)

    expect(calls).toBe(1)
    expect(t.infoHash).toBe(s.torrent.infoHash)
    expect(t.files.map((f) => f.path).sort()).toEqual([
      path.join('pkg', 'safe-a.bin'),
      path.join('pkg', 'sub', 'safe-b.bin'),
    ])
    expect(Buffer.from(await readFile(path.join(dl, 'pkg', 'safe-a.bin'))).equals(s.a)).toBe(true)
    expect(Buffer.from(await readFile(path.join(dl, 'pkg', 'sub', 'safe-b.bin'))).equals(s.b)).toBe(
      true,
    )

    // A third peer fetches the metadata from the leecher only: it gets the original info bytes
    // (their hash is the info hash), not a re-encoding of the rewritten `info`.
    const leecherPort = await listeningPort(leecher)
    const third = fx.client()
    const t3 = third.add(magnet(s.torrent.infoHash), { path: await fx.tempDir() })
    t3.once('infoHash', () => t3.addPeer(`127.0.0.1:${leecherPort}`))
    await until(t3, 'metadata', 20_000)
    expect(t3.name).toBe('pkg')
  })

  it('uses a client-wide parseMetadata', async () => {
    const s = await seeder()
    const dl = await fx.tempDir()
    const leecher = fx.client({ parseMetadata: renaming })
    const t = leecher.add(magnet(s.torrent.infoHash), { path: dl })
    t.once('infoHash', () => t.addPeer(`127.0.0.1:${s.port}`))
    await until(t, 'done', 20_000)
    expect(t.files.map((f) => f.name).sort()).toEqual(['safe-a.bin', 'safe-b.bin'])
  })

  for (const mode of ['throws', 'rejects', 'returns another info hash'] as const) {
    it(`a hook that ${mode} makes a torrent error, and the client lives on`, async () => {
      const s = await seeder()
      const leecher = fx.client()
      const parseMetadata: ParseMetadata =
        mode === 'throws'
          ? () => {
              throw new Error('unsafe path in metadata')
            }
          : mode === 'rejects'
            ? async () => Promise.reject(new Error('unsafe path in metadata'))
            : async (buf) => ({ ...(await renaming(buf)), infoHash: 'bb'.repeat(20) })
      const t = leecher.add(magnet(s.torrent.infoHash), { path: await fx.tempDir(), parseMetadata })
      t.once('infoHash', () => t.addPeer(`127.0.0.1:${s.port}`))
      const err = await until<Error>(t, 'error', 20_000)
      expect(err.message).toBe(
        mode === 'returns another info hash'
          ? 'parseMetadata returned a torrent with another info hash'
          : 'unsafe path in metadata',
      )
      expect(t.destroyed).toBe(true)
      expect(leecher.destroyed).toBe(false)
      expect(fx.clientErrors).toEqual([])

      // the client still works: the same magnet with a good hook downloads
      const t2 = leecher.add(magnet(s.torrent.infoHash), {
        path: await fx.tempDir(),
        parseMetadata: renaming,
      })
      t2.once('infoHash', () => t2.addPeer(`127.0.0.1:${s.port}`))
      await until(t2, 'done', 20_000)
    })
  }
})
