/**
 * The tray as pure data: which icon, what tooltip and which menu items, from the torrents and stats. The
 * Electron side (tray.ts) only turns this into a Tray and a Menu.
 */
import type { EngineStats, TorrentSummary } from '@shared/api'
import { formatSpeed } from '@shared/format'
import type { Translate } from './i18n/translate'

export type TrayIconState = 'idle' | 'downloading' | 'seeding' | 'paused' | 'error'
export const trayIconStates: readonly TrayIconState[] = [
  'idle',
  'downloading',
  'seeding',
  'paused',
  'error',
]

export interface TrayCounts {
  total: number
  downloading: number
  seeding: number
  paused: number
  errors: number
}

export function countTorrents(torrents: Iterable<TorrentSummary>): TrayCounts {
  const c: TrayCounts = { total: 0, downloading: 0, seeding: 0, paused: 0, errors: 0 }
  for (const t of torrents) {
    c.total++
    if (t.status === 'error') c.errors++
    else if (t.paused) c.paused++
    else if (t.status === 'seeding') c.seeding++
    else c.downloading++ // downloading, checking, fetching-metadata: work towards having the data
  }
  return c
}

/** An error needs attention first; then activity; paused only when everything is paused. */
export function trayIconState(c: TrayCounts, engineFailed = false): TrayIconState {
  if (engineFailed || c.errors > 0) return 'error'
  if (c.downloading > 0) return 'downloading'
  if (c.seeding > 0) return 'seeding'
  if (c.paused > 0) return 'paused'
  return 'idle'
}

export function countsLine(c: TrayCounts, t: Translate): string {
  return `${t('tray.downloading', { count: c.downloading })}, ${t('tray.seeding', { count: c.seeding })}`
}

export function trayTooltip(
  c: TrayCounts,
  stats: Pick<EngineStats, 'downloadSpeed' | 'uploadSpeed'> | null,
  extra: { altSpeed: boolean; engineFailed?: boolean },
  t: Translate,
): string {
  const lines = ['Seedling']
  if (extra.engineFailed) lines.push(t('tray.engineStopped'))
  if (stats)
    lines.push(`↓ ${formatSpeed(stats.downloadSpeed)}  ↑ ${formatSpeed(stats.uploadSpeed)}`)
  lines.push(countsLine(c, t))
  if (c.paused > 0) lines.push(t('tray.paused', { count: c.paused }))
  if (c.errors > 0) lines.push(t('tray.errors', { count: c.errors }))
  if (extra.altSpeed) lines.push(t('tray.altSpeedOn'))
  return lines.join('\n')
}

export type TrayAction = 'toggle-window' | 'pause-all' | 'resume-all' | 'alt-speed' | 'quit'

export type TrayMenuItem =
  | { type: 'action'; action: TrayAction; label: string; enabled: boolean }
  | { type: 'checkbox'; action: TrayAction; label: string; checked: boolean; enabled: boolean }
  | { type: 'info'; label: string }
  | { type: 'separator' }

export interface TrayMenuState {
  windowVisible: boolean
  counts: TrayCounts
  altSpeed: boolean
  engineRunning: boolean
}

export function trayMenu(s: TrayMenuState, t: Translate): TrayMenuItem[] {
  const c = s.counts
  const active = c.total - c.paused - c.errors
  return [
    {
      type: 'action',
      action: 'toggle-window',
      label: s.windowVisible ? t('tray.hide') : t('tray.show'),
      enabled: true,
    },
    { type: 'separator' },
    { type: 'info', label: t('tray.downloading', { count: c.downloading }) },
    { type: 'info', label: t('tray.seeding', { count: c.seeding }) },
    { type: 'separator' },
    {
      type: 'action',
      action: 'pause-all',
      label: t('tray.pauseAll'),
      enabled: s.engineRunning && active > 0,
    },
    {
      type: 'action',
      action: 'resume-all',
      label: t('tray.resumeAll'),
      enabled: s.engineRunning && c.paused > 0,
    },
    {
      type: 'checkbox',
      action: 'alt-speed',
      label: t('tray.altSpeed'),
      checked: s.altSpeed,
      enabled: s.engineRunning,
    },
    { type: 'separator' },
    { type: 'action', action: 'quit', label: t('tray.quit'), enabled: true },
  ]
}

/** The session's torrents as last reported: a snapshot, then added, changed and removed events. */
export class TorrentIndex {
  private readonly byHash = new Map<string, TorrentSummary>()

  reset(list: readonly TorrentSummary[]): void {
    this.byHash.clear()
    for (const t of list) this.byHash.set(t.infoHash, t)
  }
  upsert(list: readonly TorrentSummary[]): void {
    for (const t of list) this.byHash.set(t.infoHash, t)
  }
  remove(infoHash: string): void {
    this.byHash.delete(infoHash)
  }
  get(infoHash: string): TorrentSummary | undefined {
    return this.byHash.get(infoHash)
  }
  all(): TorrentSummary[] {
    return [...this.byHash.values()]
  }
  /** Torrents a "pause all" would pause, and those a "resume all" would resume. */
  hashes(filter: (t: TorrentSummary) => boolean): string[] {
    return this.all()
      .filter(filter)
      .map((t) => t.infoHash)
  }
}
