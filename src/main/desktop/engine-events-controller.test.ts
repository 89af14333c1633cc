import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { EngineStats, TorrentSummary } from '@shared/api'
import type { HostStatus } from '@shared/desktop-api'
import type { HostClientEvents } from '../engine-host/host-client'
import { summary } from './controller-stand-ins'
import { wireEngineEvents } from './engine-events-controller'
import type { NotificationEvent } from './notifications-model'
import { TorrentIndex } from './tray-model'

class FakeHost extends EventEmitter {
  list: TorrentSummary[] = []
  listings = 0
  listTorrents = async (): Promise<TorrentSummary[]> => {
    this.listings++
    return this.list
  }
  fire<K extends keyof HostClientEvents>(event: K, payload: HostClientEvents[K]): void {
    this.emit(event, payload)
  }
}

async function setup() {
  const host = new FakeHost()
  const first = summary('downloading')
  host.list = [first]
  const torrents = new TorrentIndex()
  const log: unknown[] = []
  await wireEngineEvents(host, {
    torrents,
    tray: {
      refresh: () => void log.push('refresh'),
      setStats: (s: Pick<EngineStats, 'downloadSpeed' | 'uploadSpeed'>) => void log.push(s),
      setEngineFailed: (failed: boolean) => void log.push(`failed ${failed}`),
    },
    notifications: {
      seed: (list: readonly TorrentSummary[]) => void log.push(`seed ${list.length}`),
      forget: (h: string) => void log.push(`forget ${h}`),
      engineEvent: (e: NotificationEvent) => void log.push(e),
      engineFailed: (s: HostStatus) => void log.push(`gave up: ${s.reason}`),
    },
    sendStatus: (status) => void log.push(status),
  })
  return { host, torrents, log, first }
}

describe('wireEngineEvents', () => {
  it('lists the torrents once at start, for the tray and the notification policy', async () => {
    const { host, torrents, log, first } = await setup()
    expect(host.listings).toBe(1)
    expect(torrents.all()).toEqual([first])
    expect(log).toEqual(['seed 1', 'refresh'])
  })

  it('keeps the index current from added, changed and removed events', async () => {
    const { host, torrents, log, first } = await setup()
    log.length = 0
    const added = summary('paused')
    host.fire('torrent:added', added)
    host.fire('torrents:changed', [{ ...first, status: 'seeding' }])
    host.fire('torrent:removed', added.infoHash)
    expect(torrents.all().map((t) => t.status)).toEqual(['seeding'])
    expect(log).toEqual(['refresh', 'refresh', `forget ${added.infoHash}`, 'refresh'])
  })

  it('passes stats to the tray and completions and errors to the notifications', async () => {
    const { host, log, first } = await setup()
    log.length = 0
    host.fire('stats', { downloadSpeed: 1, uploadSpeed: 2 } as EngineStats)
    host.fire('torrent:done', first.infoHash)
    host.fire('torrent:error', { infoHash: first.infoHash, error: 'disk full' })
    expect(log).toEqual([
      { downloadSpeed: 1, uploadSpeed: 2 },
      { kind: 'done', infoHash: first.infoHash },
      { kind: 'error', infoHash: first.infoHash, error: 'disk full' },
    ])
  })

  it('reports the host status to the window and tray, relists after a restart, tells of a give-up', async () => {
    const { host, log } = await setup()
    log.length = 0
    const failed: HostStatus = { state: 'failed', reason: 'exit code 9', restarts: 5 }
    host.fire('host:status', failed)
    host.fire('host:restarted', { ...failed, state: 'running' })
    await new Promise((resolve) => setImmediate(resolve))
    host.fire('host:failed', failed)
    expect(host.listings).toBe(2)
    expect(log).toEqual([failed, 'failed true', 'seed 1', 'refresh', 'gave up: exit code 9'])
  })
})
