import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { setClient } from '../api'
import type { EngineStats } from '@shared/api'
import { fakeClient, stats } from '../test/fake-client'
import { useStatsStore } from './stats'

beforeEach(() => setActivePinia(createPinia()))

describe('stats store', () => {
  it('subscribes first, and a newer event wins over the initial fetch', async () => {
    let resolve!: (s: EngineStats) => void
    const client = fakeClient({ getStats: () => new Promise<EngineStats>((r) => (resolve = r)) })
    setClient(client)
    const store = useStatsStore()
    const done = store.connect()
    expect(client.listenerCount('stats')).toBe(1)
    client.emit('stats', stats({ peers: 7 }))
    resolve(stats({ peers: 1 }))
    await done
    expect(store.stats?.peers).toBe(7)
  })
})
