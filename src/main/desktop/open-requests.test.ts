import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { pathToFileURL } from 'node:url'
import { MAX_TORRENT_FILE_BYTES } from '@shared/limits'
import {
  OpenRequestQueue,
  parseOpenRequests,
  readOpenTarget,
  readTorrentFile,
} from './open-requests'
import type { OpenRequest } from '@shared/desktop-api'

const HASH = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a'
const MAGNET = `magnet:?xt=urn:btih:${HASH}&dn=Example`
const cwd = '/home/u/dl'
const files = new Set(['/home/u/dl/a.torrent', '/tmp/b.TORRENT', '/home/u/c.torrent'])
const opts = { cwd, isFile: (p: string) => files.has(p) }

describe('parseOpenRequests', () => {
  it('accepts magnet links with a v1 info hash and existing .torrent files', () => {
    expect(
      parseOpenRequests(['/opt/Seedling/seedling', MAGNET, 'a.torrent', '/tmp/b.TORRENT'], opts),
    ).toEqual([
      { kind: 'magnet', uri: MAGNET },
      { kind: 'file', path: '/home/u/dl/a.torrent' },
      { kind: 'file', path: '/tmp/b.TORRENT' },
    ])
  })

  it('resolves relative paths against cwd and accepts file:// URLs (desktop entries pass %U)', () => {
    expect(parseOpenRequests(['../c.torrent', pathToFileURL('/tmp/b.TORRENT').href], opts)).toEqual(
      [
        { kind: 'file', path: '/home/u/c.torrent' },
        { kind: 'file', path: '/tmp/b.TORRENT' },
      ],
    )
  })

  it('ignores switches, Electron/Chromium argv entries and everything else', () => {
    const argv = [
      '/usr/lib/electron/electron',
      '.',
      'out/main/index.js',
      '--inspect',
      '--inspect=9229',
      '--foo=x',
      '-e',
      '--allow-file-access-from-files',
      '--original-process-start-time=13378',
      '--',
      'missing.torrent',
      'notes.txt',
      'https://example.com/x.torrent',
      'javascript:alert(1)',
      '',
      '--a.torrent',
    ]
    expect(parseOpenRequests(argv, opts)).toEqual([])
  })

  it('rejects magnet links without a usable v1 info hash', () => {
    expect(
      parseOpenRequests(
        [
          'magnet:?dn=nohash',
          'magnet:?xt=urn:btmh:1220caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e',
          'magnet:?xt=urn:btih:xyz',
          'magnet:',
        ],
        opts,
      ),
    ).toEqual([])
  })

  it('dedupes magnets by info hash and files by resolved path', () => {
    const base32 = 'magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK'
    expect(
      parseOpenRequests(
        [
          MAGNET,
          `${MAGNET}&tr=udp%3A%2F%2Ft.example%3A80`,
          base32,
          'a.torrent',
          './a.torrent',
          '/home/u/dl/a.torrent',
        ],
        opts,
      ),
    ).toEqual([
      { kind: 'magnet', uri: MAGNET },
      { kind: 'file', path: '/home/u/dl/a.torrent' },
    ])
  })
})

describe('reading .torrent files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'seedling-open-'))

  it('reads a file as base64 with its name', async () => {
    const file = path.join(dir, 'x.torrent')
    writeFileSync(file, Buffer.from('d4:infod4:name1:xee'))
    expect(await readOpenTarget({ kind: 'file', path: file })).toEqual({
      request: {
        kind: 'file',
        name: 'x.torrent',
        source: { kind: 'file', data: Buffer.from('d4:infod4:name1:xee').toString('base64') },
      },
    })
  })

  it('refuses files over 10 MB and unreadable ones', async () => {
    const big = path.join(dir, 'big.torrent')
    writeFileSync(big, Buffer.alloc(MAX_TORRENT_FILE_BYTES + 1))
    expect(await readTorrentFile(big)).toEqual({ error: 'big.torrent is larger than 10 MB' })
    expect(await readTorrentFile(path.join(dir, 'gone.torrent'))).toEqual({
      error: 'cannot read gone.torrent: ENOENT',
    })
  })

  it('passes magnets through', async () => {
    expect(await readOpenTarget({ kind: 'magnet', uri: MAGNET })).toEqual({
      request: { kind: 'magnet', uri: MAGNET },
    })
  })
})

describe('OpenRequestQueue', () => {
  const m = (n: number): OpenRequest => ({ kind: 'magnet', uri: `magnet:?n=${n}` })

  it('replays requests that came before the renderer subscribed, then delivers directly', () => {
    const q = new OpenRequestQueue()
    q.push(m(1))
    q.push(m(2))
    const got: OpenRequest[] = []
    q.attach((r) => got.push(r))
    q.push(m(3))
    expect(got).toEqual([m(1), m(2), m(3)])
    expect(q.size).toBe(0)
  })

  it('queues again after a detach (reload, closed window) and replays once', () => {
    const q = new OpenRequestQueue()
    const first: OpenRequest[] = []
    q.attach((r) => first.push(r))
    q.detach()
    q.push(m(1))
    const second: OpenRequest[] = []
    q.attach((r) => second.push(r))
    expect(first).toEqual([])
    expect(second).toEqual([m(1)])
  })

  it('keeps only the newest requests when nobody listens', () => {
    const q = new OpenRequestQueue(2)
    for (const n of [1, 2, 3]) q.push(m(n))
    const got: OpenRequest[] = []
    q.attach((r) => got.push(r))
    expect(got).toEqual([m(2), m(3)])
  })
})
