import { describe, expect, it } from 'vitest'
import type { ApiMethod, SeedlingApi } from '@shared/api'
import { apiMethods, SeedlingError } from '@shared/api'
import { createDispatcher } from './api-dispatch'

const HASH = '0123456789abcdef0123456789abcdef01234567'

/** A fake engine: records every call with its argument and `this`, returns a marker per method. */
class FakeApi {
  readonly calls: Array<{ method: string; arg: unknown; self: unknown }> = []
  constructor() {
    for (const method of apiMethods) {
      ;(this as unknown as Record<string, unknown>)[method] = async function (
        this: FakeApi,
        arg: unknown,
      ) {
        this.calls.push({ method, arg, self: this })
        return { from: method }
      }
    }
  }
}

function setup() {
  const fake = new FakeApi()
  const dispatch = createDispatcher(fake as unknown as SeedlingApi)
  return { fake, dispatch }
}

/** One valid request per method. */
const valid: Record<ApiMethod, unknown> = {
  listTorrents: undefined,
  getTorrent: { infoHash: HASH },
  getPieces: { infoHash: HASH },
  inspectTorrent: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${HASH}` },
  fetchTorrentUrl: { url: 'https://example.org/a.torrent' },
  addTorrent: {
    source: { kind: 'file', data: Buffer.from('d4:infode').toString('base64') },
    downloadDir: '/downloads',
    paused: true,
    selectedFiles: [0, 2],
    trackers: ['http://127.0.0.1:1/announce'],
  },
  pauseTorrents: { infoHashes: [HASH] },
  resumeTorrents: { infoHashes: [] },
  removeTorrent: { infoHash: HASH, deleteData: false },
  recheckTorrent: { infoHash: HASH },
  setFileSelection: { infoHash: HASH, files: [{ index: 1, selected: false }] },
  moveTorrent: { infoHash: HASH, downloadDir: '/elsewhere' },
  getSettings: {},
  updateSettings: { uploadLimit: 1024, dht: false },
  getStats: undefined,
  createTorrent: { requestId: 'r1', path: '/data/folder' },
  editTrackers: { infoHash: HASH, tiers: [['udp://[::1]:6969'], ['http://127.0.0.1:1/announce']] },
  reannounce: { infoHashes: [HASH], tracker: 'udp://[::1]:6969' },
  editWebSeeds: { infoHash: HASH, urls: ['https://example.org/files/'] },
  setLabels: { infoHashes: [HASH], category: 'Linux ISOs', addTags: ['fast'] },
}

describe('createDispatcher', () => {
  it('has a valid example for every method of the contract', () => {
    expect(Object.keys(valid).sort()).toEqual([...apiMethods].sort())
  })

  for (const method of apiMethods) {
    it(`passes a valid ${method} request to the engine and returns its result`, async () => {
      const { fake, dispatch } = setup()
      await expect(dispatch(method, valid[method])).resolves.toEqual({ from: method })
      expect(fake.calls).toHaveLength(1)
      expect(fake.calls[0]!.method).toBe(method)
      // Called as a method of the engine, not detached.
      expect(fake.calls[0]!.self).toBe(fake)
    })
  }

  it('passes the checked params (with schema defaults applied) through', async () => {
    const { fake, dispatch } = setup()
    await dispatch('addTorrent', valid.addTorrent)
    expect(fake.calls[0]!.arg).toEqual(valid.addTorrent)
    await dispatch('createTorrent', { requestId: 'r2', path: '/x' })
    expect(fake.calls[1]!.arg).toMatchObject({
      requestId: 'r2',
      path: '/x',
      trackers: [],
      webSeeds: [],
      private: false,
      seed: true,
    })
  })

  it('returns the engine result as is, and passes engine errors through', async () => {
    const result = { torrent: { infoHash: HASH }, duplicate: true }
    const boom = new SeedlingError('no torrent with info hash x', 'not-found')
    const api = {
      addTorrent: async () => result,
      getTorrent: async () => {
        throw boom
      },
    } as unknown as SeedlingApi
    const dispatch = createDispatcher(api)
    expect(await dispatch('addTorrent', valid.addTorrent)).toBe(result)
    await expect(dispatch('getTorrent', { infoHash: HASH })).rejects.toBe(boom)
  })

  const unknown = [
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '__defineGetter__',
    'prototype',
    'then',
    'close',
    'dataPath',
    'on',
    'emit',
    'LISTTORRENTS',
    'listTorrents ',
    ' listTorrents',
    'listTorrents\u0000',
    '',
    'x'.repeat(10_000),
  ]
  for (const method of unknown) {
    it(`rejects the unknown method ${JSON.stringify(method.slice(0, 20))}`, async () => {
      const { fake, dispatch } = setup()
      // Methods the object really has but the contract does not list must not be reachable either.
      ;(fake as unknown as Record<string, unknown>).close = async () => 'closed'
      ;(fake as unknown as Record<string, unknown>).dataPath = async () => '/'
      const err = await dispatch(method, {}).then(
        () => null,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(SeedlingError)
      expect((err as SeedlingError).code).toBe('invalid')
      expect((err as SeedlingError).message).toMatch(/^unknown command/)
      // The echoed name is bounded.
      expect((err as SeedlingError).message.length).toBeLessThan(100)
      expect(fake.calls).toEqual([])
    })
  }

  it('rejects non-string method names without calling anything', async () => {
    const { fake, dispatch } = setup()
    for (const method of [undefined, null, 42, {}, ['listTorrents'], Symbol('x')]) {
      await expect(dispatch(method as unknown as string, undefined)).rejects.toBeInstanceOf(Error)
    }
    expect(fake.calls).toEqual([])
  })

  const invalid: Array<[ApiMethod, unknown, RegExp]> = [
    ['getTorrent', undefined, /invalid getTorrent request/],
    ['getTorrent', null, /invalid getTorrent request/],
    ['getTorrent', 'abc', /invalid getTorrent request/],
    ['getTorrent', {}, /at infoHash/],
    ['getTorrent', { infoHash: HASH.toUpperCase() }, /at infoHash: an info hash is 40/],
    ['getTorrent', { infoHash: HASH.slice(1) }, /at infoHash/],
    ['getTorrent', { infoHash: `${HASH}0` }, /at infoHash/],
    ['getTorrent', { infoHash: '../../../../etc/passwd' }, /at infoHash/],
    ['getTorrent', { infoHash: 42 }, /at infoHash/],
    ['getPieces', { infoHash: [HASH] }, /at infoHash/],
    ['recheckTorrent', { infoHash: null }, /at infoHash/],
    ['pauseTorrents', { infoHashes: HASH }, /at infoHashes/],
    ['pauseTorrents', { infoHashes: [HASH, 'nope'] }, /at infoHashes\.1/],
    ['resumeTorrents', {}, /at infoHashes/],
    ['removeTorrent', { infoHash: HASH }, /at deleteData/],
    ['removeTorrent', { infoHash: HASH, deleteData: 'yes' }, /at deleteData/],
    ['removeTorrent', { infoHash: HASH, deleteData: 1 }, /at deleteData/],
    ['addTorrent', {}, /at source/],
    ['addTorrent', { source: { kind: 'url', url: 'http://x' } }, /at source/],
    ['addTorrent', { source: { kind: 'file', data: '***not base64***' } }, /at source\.data/],
    ['addTorrent', { source: { kind: 'magnet', uri: 7 } }, /at source\.uri/],
    ['addTorrent', { ...(valid.addTorrent as object), paused: 'true' }, /at paused/],
    ['addTorrent', { ...(valid.addTorrent as object), selectedFiles: [-1] }, /at selectedFiles\.0/],
    [
      'addTorrent',
      { ...(valid.addTorrent as object), selectedFiles: [1.5] },
      /at selectedFiles\.0/,
    ],
    ['addTorrent', { ...(valid.addTorrent as object), downloadDir: '' }, /at downloadDir/],
    [
      'setFileSelection',
      { infoHash: HASH, files: [{ index: '0', selected: true }] },
      /files\.0\.index/,
    ],
    ['setFileSelection', { infoHash: HASH, files: [{ index: 0 }] }, /files\.0\.selected/],
    ['moveTorrent', { infoHash: HASH }, /at downloadDir/],
    ['updateSettings', { port: 70_000 }, /at port/],
    ['updateSettings', { port: '6881' }, /at port/],
    ['updateSettings', { uploadLimit: -1 }, /at uploadLimit/],
    ['updateSettings', { encryption: 'maybe' }, /at encryption/],
    ['updateSettings', { maxConnections: 0 }, /at maxConnections/],
    ['updateSettings', 'all', /invalid updateSettings request/],
    ['inspectTorrent', { kind: 'infoHash' }, /at infoHash/],
    ['createTorrent', { path: '/x' }, /at requestId/],
    ['createTorrent', { requestId: 'r', path: '/x', pieceLength: 0 }, /at pieceLength/],
    ['setLabels', { infoHashes: [HASH], category: ' padded ' }, /at category/],
    ['setLabels', { infoHashes: [HASH], addTags: ['a,b'] }, /at addTags\.0/],
    ['setLabels', { infoHashes: [HASH], addTags: ['x\u202e'] }, /at addTags\.0/],
    ['setLabels', { infoHashes: [HASH], category: 'c'.repeat(65) }, /at category/],
    ['setLabels', { infoHashes: [] }, /at infoHashes/],
    // Strict: commands without params accept nothing else.
    ['listTorrents', { extra: 1 }, /invalid listTorrents request/],
    ['listTorrents', null, /invalid listTorrents request/],
    ['listTorrents', [], /invalid listTorrents request/],
    ['getStats', { infoHash: HASH }, /invalid getStats request/],
    ['getSettings', 'x', /invalid getSettings request/],
  ]
  for (const [method, params, message] of invalid) {
    it(`rejects ${method}(${JSON.stringify(params) ?? 'undefined'})`, async () => {
      const { fake, dispatch } = setup()
      const err = await dispatch(method, params).then(
        () => null,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(SeedlingError)
      expect((err as SeedlingError).code).toBe('invalid')
      expect((err as SeedlingError).message).toMatch(message)
      expect(fake.calls).toEqual([])
    })
  }

  it('never passes unknown fields through to the engine (they are stripped)', async () => {
    const { fake, dispatch } = setup()
    await dispatch('getTorrent', { infoHash: HASH, extra: '../../x', __proto__: { polluted: 1 } })
    await dispatch('updateSettings', { dht: false, isAdmin: true })
    await dispatch('removeTorrent', { infoHash: HASH, deleteData: true, alsoDelete: '/' })
    expect(fake.calls.map((c) => c.arg)).toEqual([
      { infoHash: HASH },
      { dht: false },
      { infoHash: HASH, deleteData: true },
    ])
    for (const { arg } of fake.calls) {
      expect(Object.getPrototypeOf(arg)).toBe(Object.prototype)
      expect((arg as Record<string, unknown>).polluted).toBeUndefined()
    }
  })

  it('does not let a JSON "__proto__" key pollute prototypes', async () => {
    const { fake, dispatch } = setup()
    const params = JSON.parse(`{"infoHash":"${HASH}","__proto__":{"polluted":true}}`) as unknown
    await dispatch('getTorrent', params)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((fake.calls[0]!.arg as Record<string, unknown>).polluted).toBeUndefined()
  })
})
