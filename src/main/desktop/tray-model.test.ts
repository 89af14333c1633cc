import { describe, expect, it } from 'vitest'
import type { TorrentStatus, TorrentSummary } from '@shared/api'
import { countTorrents, TorrentIndex, trayIconState, trayMenu, trayTooltip } from './tray-model'
import { translator } from './i18n/translate'

const en = translator('en')

let n = 0
function t(status: TorrentStatus, extra: Partial<TorrentSummary> = {}): TorrentSummary {
  n++
  return {
    infoHash: n.toString(16).padStart(40, '0'),
    name: `t${n}`,
    status,
    paused: status === 'paused',
    error: status === 'error' ? 'disk full' : null,
    completedAt: null,
    ...extra,
  } as TorrentSummary
}

describe('tray icon state', () => {
  it('derives the icon from the torrents: error, then downloading, seeding, paused, idle', () => {
    const state = (...s: TorrentStatus[]) => trayIconState(countTorrents(s.map((x) => t(x))))
    expect(state()).toBe('idle')
    expect(state('paused', 'paused')).toBe('paused')
    expect(state('paused', 'seeding')).toBe('seeding')
    // Paused by the user while its data is checked on disk: counted as paused, not as working.
    expect(countTorrents([t('checking', { paused: true })]).paused).toBe(1)
    expect(state('seeding', 'downloading')).toBe('downloading')
    expect(state('seeding', 'checking')).toBe('downloading')
    expect(state('fetching-metadata')).toBe('downloading')
    expect(state('downloading', 'error')).toBe('error')
    expect(trayIconState(countTorrents([]), true)).toBe('error')
  })
})

describe('tray tooltip', () => {
  it('shows speeds and counts', () => {
    const counts = countTorrents([t('downloading'), t('downloading'), t('seeding'), t('paused')])
    expect(
      trayTooltip(
        counts,
        { downloadSpeed: 1.5 * 1024 * 1024, uploadSpeed: 0 },
        { altSpeed: true },
        en,
      ),
    ).toMatchInlineSnapshot(`
      "Seedling
      ↓ 1.5 MiB/s  ↑ 0 B/s
      Downloading: 2, Seeding: 1
      Paused: 1
      Alternative speed limits on"
    `)
    expect(trayTooltip(countTorrents([]), null, { altSpeed: false, engineFailed: true }, en)).toBe(
      'Seedling\nThe engine has stopped\nDownloading: 0, Seeding: 0',
    )
  })
})

describe('tray menu', () => {
  const counts = countTorrents([t('downloading'), t('seeding'), t('seeding'), t('paused')])

  it('lists show/hide, counts, pause/resume all, alternative limits and quit', () => {
    const menu = trayMenu(
      { windowVisible: false, counts, altSpeed: false, engineRunning: true },
      en,
    )
    expect(menu).toEqual([
      { type: 'action', action: 'toggle-window', label: 'Show Seedling', enabled: true },
      { type: 'separator' },
      { type: 'info', label: 'Downloading: 1' },
      { type: 'info', label: 'Seeding: 2' },
      { type: 'separator' },
      { type: 'action', action: 'pause-all', label: 'Pause all', enabled: true },
      { type: 'action', action: 'resume-all', label: 'Resume all', enabled: true },
      {
        type: 'checkbox',
        action: 'alt-speed',
        label: 'Alternative speed limits',
        checked: false,
        enabled: true,
      },
      { type: 'separator' },
      { type: 'action', action: 'quit', label: 'Quit Seedling', enabled: true },
    ])
  })

  it('says Hide when visible and disables what cannot apply', () => {
    const none = countTorrents([t('paused')])
    const menu = trayMenu(
      {
        windowVisible: true,
        counts: none,
        altSpeed: true,
        engineRunning: true,
      },
      en,
    )
    expect(menu[0]).toMatchObject({ label: 'Hide Seedling' })
    expect(menu.find((i) => 'action' in i && i.action === 'pause-all')).toMatchObject({
      enabled: false,
    })
    expect(menu.find((i) => 'action' in i && i.action === 'alt-speed')).toMatchObject({
      checked: true,
    })
    const down = trayMenu(
      { windowVisible: true, counts, altSpeed: false, engineRunning: false },
      en,
    )
    expect(
      down.filter((i) => 'enabled' in i && !i.enabled).map((i) => 'action' in i && i.action),
    ).toEqual(['pause-all', 'resume-all', 'alt-speed'])
  })
})

describe('TorrentIndex', () => {
  it('applies a snapshot, then added/changed/removed', () => {
    const idx = new TorrentIndex()
    const a = t('downloading')
    const b = t('paused')
    idx.reset([a, b])
    idx.upsert([{ ...a, status: 'seeding' }])
    idx.remove(b.infoHash)
    expect(idx.all().map((x) => x.status)).toEqual(['seeding'])
    expect(idx.hashes((x) => x.status === 'seeding')).toEqual([a.infoHash])
  })
})
