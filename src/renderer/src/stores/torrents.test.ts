import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { setClient } from '../api'
import type { TorrentSummary } from '@shared/api'
import { fakeClient, summary } from '../test/fake-client'
import { useTorrentsStore } from './torrents'

beforeEach(() => setActivePinia(createPinia()))

describe('torrents store', () => {
  it('subscribes before fetching the snapshot and replays events that arrived meanwhile, in order', async () => {
    const a = summary({ name: 'a', progress: 0.1 })
    const b = summary({ name: 'b' })
    const c = summary({ name: 'c' })
    let resolveList!: (l: TorrentSummary[]) => void
    const client = fakeClient({
      listTorrents: () => new Promise<TorrentSummary[]>((r) => (resolveList = r)),
    })
    setClient(client)
    const store = useTorrentsStore()
    const done = store.connect()
    // Subscribed already, before the snapshot arrives.
    expect(client.listenerCount('torrents:changed')).toBe(1)
    expect(client.listenerCount('torrent:removed')).toBe(1)
    client.emit('torrents:changed', [{ ...a, progress: 0.2 }])
    client.emit('torrent:added', c)
    client.emit('torrent:removed', b.infoHash)
    expect(store.byHash.size).toBe(0) // nothing applied before the snapshot
    resolveList([a, b])
    await done
    expect(store.connected).toBe(true)
    expect(store.byHash.get(a.infoHash)?.progress).toBe(0.2)
    expect(store.byHash.has(b.infoHash)).toBe(false)
    expect(store.byHash.has(c.infoHash)).toBe(true)
    // After the snapshot, deltas apply directly.
    client.emit('torrents:changed', [{ ...a, progress: 0.9 }])
    expect(store.byHash.get(a.infoHash)?.progress).toBe(0.9)
    client.emit('torrent:removed', a.infoHash)
    expect(store.byHash.has(a.infoHash)).toBe(false)
  })

  it('applies deltas in place without touching other torrents', () => {
    setClient(fakeClient())
    const store = useTorrentsStore()
    const list = Array.from({ length: 1000 }, (_, i) => summary({ name: `t${i}` }))
    store.replaceAll(list)
    const untouched = store.byHash.get(list[1]!.infoHash)
    store.apply([{ ...list[0]!, downloadSpeed: 1234 }])
    expect(store.byHash.size).toBe(1000)
    expect(store.byHash.get(list[0]!.infoHash)?.downloadSpeed).toBe(1234)
    expect(store.byHash.get(list[1]!.infoHash)).toBe(untouched)
    expect(store.visible).toHaveLength(1000)
  })

  it('sorts by any column, flipping direction on a second click, and filters by status and text', () => {
    setClient(fakeClient())
    const store = useTorrentsStore()
    const x = summary({ name: 'Xylophone', length: 10, status: 'seeding', progress: 1 })
    const y = summary({ name: 'apple 10', length: 30, status: 'paused' })
    const z = summary({ name: 'apple 9', length: 20, status: 'error' })
    store.replaceAll([x, y, z])
    store.sortBy('name')
    expect(store.visible.map((t) => t.name)).toEqual(['apple 9', 'apple 10', 'Xylophone'])
    store.sortBy('name')
    expect(store.visible.map((t) => t.name)).toEqual(['Xylophone', 'apple 10', 'apple 9'])
    store.sortBy('length')
    expect(store.visible.map((t) => t.length)).toEqual([30, 20, 10])
    store.sortBy('length')
    expect(store.visible.map((t) => t.length)).toEqual([10, 20, 30])

    store.statusFilter = 'seeding'
    expect(store.visible.map((t) => t.name)).toEqual(['Xylophone'])
    store.statusFilter = 'error'
    expect(store.visible.map((t) => t.name)).toEqual(['apple 9'])
    store.statusFilter = 'all'
    store.textFilter = 'APPLE'
    expect(store.visible.map((t) => t.name).sort()).toEqual(['apple 10', 'apple 9'])
    expect(store.counts).toMatchObject({ all: 3, seeding: 1, paused: 1, error: 1, downloading: 0 })
  })

  it('sorts unknown ETAs last and re-sorts when a delta changes the key', () => {
    setClient(fakeClient())
    const store = useTorrentsStore()
    const a = summary({ eta: null })
    const b = summary({ eta: 50 })
    const c = summary({ eta: 10 })
    store.replaceAll([a, b, c])
    store.sortBy('eta')
    expect(store.visible.map((t) => t.infoHash)).toEqual([c.infoHash, b.infoHash, a.infoHash])
    store.apply([{ ...a, eta: 1 }])
    expect(store.visible[0]!.infoHash).toBe(a.infoHash)
  })
})
