/**
 * What the desktop does with the engine host's events: keeps the torrent index and the tray current,
 * notifies, passes the host's health to the window, and lists the torrents again after a restart (the
 * host reopened the session from disk, so events may have been missed).
 */
import type { TorrentSummary } from '@shared/api'
import type { HostStatus } from '@shared/desktop-api'
import type { HostClientEvents } from '../engine-host/host-client'
import type { NotificationsController } from './notifications-controller'
import type { TrayController } from './tray-controller'
import type { TorrentIndex } from './tray-model'

/** The part of EngineHostClient this uses. */
export interface EngineEventSource {
  on<K extends keyof HostClientEvents>(
    event: K,
    listener: (payload: HostClientEvents[K]) => void,
  ): unknown
  listTorrents(): Promise<TorrentSummary[]>
}

export interface EngineEventsDeps {
  torrents: TorrentIndex
  tray: Pick<TrayController, 'refresh' | 'setStats' | 'setEngineFailed'>
  notifications: Pick<NotificationsController, 'seed' | 'forget' | 'engineEvent' | 'engineFailed'>
  sendStatus(status: HostStatus): void
}

/** Subscribes to `host`; resolves after the first listing (which never rejects: events fill in later). */
export function wireEngineEvents(host: EngineEventSource, deps: EngineEventsDeps): Promise<void> {
  const { torrents, tray, notifications } = deps
  const reseed = async (): Promise<void> => {
    const list = await host.listTorrents()
    torrents.reset(list)
    notifications.seed(list)
    tray.refresh()
  }
  host.on('torrents:changed', (list) => {
    torrents.upsert(list)
    tray.refresh()
  })
  host.on('torrent:added', (t) => {
    torrents.upsert([t])
    tray.refresh()
  })
  host.on('torrent:removed', (infoHash) => {
    torrents.remove(infoHash)
    notifications.forget(infoHash)
    tray.refresh()
  })
  host.on('stats', (stats) => tray.setStats(stats))
  host.on('torrent:done', (infoHash) => notifications.engineEvent({ kind: 'done', infoHash }))
  host.on('torrent:error', ({ infoHash, error }) =>
    notifications.engineEvent({ kind: 'error', infoHash, error }),
  )
  host.on('host:status', (status) => {
    deps.sendStatus(status)
    tray.setEngineFailed(status.state === 'failed')
  })
  host.on('host:restarted', () => void reseed().catch(() => undefined))
  host.on('host:failed', (status) => notifications.engineFailed(status))
  return reseed().catch(() => undefined)
}
