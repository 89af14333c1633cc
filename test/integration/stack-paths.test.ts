/**
 * Seedling's chunk store (src/main/engine/chunk-store.ts, passed as webtorrent's `store` option, as
 * the engine does) refuses file paths that are the download folder itself or outside it, and its
 * destroy() never removes them; webtorrent turns the store's refusal into a torrent error
 * (patches/webtorrent+3.0.21.patch). With webtorrent's default fs-chunk-store, unpatched, the
 * torrents below write into or `rm -rf` <root> or <root>/dl.
 *
 * Layout: <root>/sentinel.txt and <root>/dl/keep.txt; torrents download into <root>/dl (both temp
 * dirs of this test).
 */
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import parseTorrent from 'parse-torrent'
import { afterEach, describe, expect, it } from 'vitest'
import type { ParsedTorrentLike, Torrent, TorrentOptions } from 'webtorrent'
import type WebTorrent from 'webtorrent'
import { SeedlingChunkStore } from '../../src/main/engine/chunk-store'
import { StackFixture, withTimeout } from './helpers/stack'
import { encode } from '../../src/main/engine/bencode'
import type { Encodable } from '../../src/main/engine/bencode'
import { seededBytes, writeContents } from '../support/test-data'
import { pieceHashes } from '../support/torrent-builder'

const PIECE = 16384
const REFUSED = /^refusing (unsafe path element|a path outside the download folder)/

/** Torrent options as the engine sets them: Seedling's chunk store in `dl`. */
const inFolder = (dl: string): TorrentOptions =>
  ({ path: dl, store: SeedlingChunkStore }) as TorrentOptions
const fx = new StackFixture()
afterEach(() => fx.cleanup())

async function layout(): Promise<{ root: string; dl: string }> {
  const root = await fx.tempDir()
  await writeContents(root, { 'sentinel.txt': seededBytes(10), 'dl/keep.txt': seededBytes(10) })
  return { root, dl: path.join(root, 'dl') }
}

/** A real .torrent (bencoded) whose info dictionary is `info` plus computed pieces for `data`. */
function torrentFileFor(info: Record<string, Encodable>, data: Uint8Array): Uint8Array {
  return encode({ info: { ...info, 'piece length': PIECE, pieces: pieceHashes(data, PIECE) } })
}

/** Adds a torrent and resolves with its error, or null once it is ready (i.e. it was accepted). */
function addOutcome(
  client: WebTorrent,
  id: Uint8Array | ParsedTorrentLike,
  opts: TorrentOptions,
): Promise<{ torrent: Torrent; error: Error | null }> {
  return withTimeout(
    new Promise((resolve) => {
      const torrent = client.add(id, opts)
      torrent.once('error', (error: Error) => resolve({ torrent, error }))
      torrent.once('ready', () => resolve({ torrent, error: null }))
    }),
    20_000,
    'add',
  )
}

function destroyStore(torrent: Torrent): Promise<void> {
  // a torrent destroyed by an error never calls a later destroy()'s callback
  if (torrent.destroyed) return Promise.resolve()
  return withTimeout(
    new Promise<void>((resolve) => torrent.destroy({ destroyStore: true }, () => resolve())),
    10_000,
    'destroy',
  )
}

async function expectLayoutIntact(root: string, dl: string): Promise<void> {
  expect((await readdir(root)).sort()).toEqual(['dl', 'sentinel.txt'])
  expect(await readdir(dl)).toEqual(['keep.txt'])
}

describe('torrent file paths never reach the download folder itself or outside it', () => {
  for (const name of ['..', '.']) {
    it(`a single-file .torrent named ${JSON.stringify(name)} (parse-torrent maps it to the folder)`, async () => {
      const { root, dl } = await layout()
      const data = seededBytes(2 * PIECE + 7, 9)
      const file = torrentFileFor({ name, length: data.length }, data)
      // parse-torrent turns the name into the path '' (path.join('/', '..') === '/')
      expect((await parseTorrent(file)).files[0]?.path).toBe('')

      const { torrent, error } = await addOutcome(fx.client(), file, inFolder(dl))
      // unpatched: accepted; the "file" is <root>/dl itself and destroyStore runs rm -rf on it
      expect(error?.message).toMatch(REFUSED)
      await destroyStore(torrent)
      await expectLayoutIntact(root, dl)
    })
  }

  for (const badPath of ['..', '.', '../escape.bin', 'x/../../escape.bin']) {
    it(`a parsed torrent whose file path is ${JSON.stringify(badPath)}`, async () => {
      const { root, dl } = await layout()
      const data = seededBytes(2 * PIECE + 7, 11)
      const parsed = await parseTorrent(torrentFileFor({ name: 'ok', length: data.length }, data))
      // what a naive decoder would produce for a torrent named `..`
      parsed.name = '..'
      parsed.files = [
        { path: badPath, name: path.basename(badPath), length: data.length, offset: 0 },
      ]

      const { torrent, error } = await addOutcome(fx.client(), parsed, inFolder(dl))
      // unpatched: accepted; '..' maps the file onto <root> (rm -rf'd by destroyStore), a
      // '../escape.bin' is created in <root>
      expect(error?.message).toMatch(REFUSED)
      await expectLayoutIntact(root, dl)
      await destroyStore(torrent)
      await expectLayoutIntact(root, dl)
    })
  }

  it('a multi-file torrent named ".." stays inside the folder (parse-torrent normalises it)', async () => {
    const { root, dl } = await layout()
    const data = seededBytes(PIECE + 3, 12)
    const file = torrentFileFor(
      { name: '..', files: [{ path: ['a.bin'], length: data.length }] },
      data,
    )
    const { torrent, error } = await addOutcome(fx.client(), file, inFolder(dl))
    expect(error).toBeNull()
    expect(torrent.files.map((f) => f.path)).toEqual(['a.bin'])
    await destroyStore(torrent)
    // destroyStore removes only the torrent's own files
    await expectLayoutIntact(root, dl)
    expect(existsSync(dl)).toBe(true)
  })

  it('the store: destroy removes files, never a directory a file path points at', async () => {
    const { root, dl } = await layout()
    // built while 'sub' is free; a folder appears there later (it could never write it)
    const store = new SeedlingChunkStore(PIECE, { path: dl, files: [{ path: 'sub', length: 10 }] })
    await writeContents(dl, { 'sub/user-data.txt': seededBytes(5) })
    const err = await new Promise<Error | null | undefined>((resolve) => store.destroy(resolve))
    // fs-chunk-store, unpatched: rm -rf <root>/dl/sub
    expect(err).toBeNull()
    expect(existsSync(path.join(dl, 'sub', 'user-data.txt'))).toBe(true)
    expect((await readdir(root)).sort()).toEqual(['dl', 'sentinel.txt'])
    expect((await readdir(dl)).sort()).toEqual(['keep.txt', 'sub'])
  })

  it('the store: refuses a folder where a file goes, and paths at or above its root, when built', async () => {
    const { dl } = await layout()
    await writeContents(dl, { 'sub/user-data.txt': seededBytes(5) })
    expect(
      () => new SeedlingChunkStore(PIECE, { path: dl, files: [{ path: 'sub', length: 10 }] }),
    ).toThrow(/^a folder is where the torrent's file goes/)
    // `a/../b` is refused too: Seedling's decoder never makes one, so it is never legitimate.
    for (const p of ['..', '.', '', '../x', 'a/../../x', 'a/../b']) {
      expect(
        () =>
          new SeedlingChunkStore(PIECE, {
            path: '/tmp/seedling-x/dl',
            files: [{ path: p, length: 1 }],
          }),
      ).toThrow(REFUSED)
    }
    expect(
      () =>
        new SeedlingChunkStore(PIECE, {
          path: '/tmp/seedling-x/dl',
          files: [{ path: 'a/b', length: 1 }],
        }),
    ).not.toThrow()
  })
})
