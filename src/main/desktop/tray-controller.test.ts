import { describe, expect, it } from 'vitest'
import { FakeEngine, MemorySettings, summary } from './controller-stand-ins'
import type { TrayView } from './tray'
import { TrayController } from './tray-controller'
import type { TrayAction } from './tray-model'
import { TorrentIndex } from './tray-model'
import { translator } from './i18n/translate'

function setup(opts: { noTray?: boolean; altSpeedFails?: boolean } = {}) {
  const views: TrayView[] = []
  const log: string[] = []
  const engine = new FakeEngine()
  const torrents = new TorrentIndex()
  let onAction: ((action: TrayAction) => void) | null = null
  let onClick: (() => void) | null = null
  const tray = new TrayController({
    create: (action, click) => {
      if (opts.noTray) throw new Error('no status notifier')
      onAction = action
      onClick = click
      return { update: (view) => void views.push(view), destroy: () => void log.push('destroyed') }
    },
    torrents,
    settings: new MemorySettings(),
    engine,
    t: translator('en'),
    windowVisible: () => true,
    toggleWindow: () => void log.push('toggle window'),
    toggleAltSpeed: async () => {
      log.push('alt speed')
      if (opts.altSpeedFails) throw new Error('engine gone')
    },
    quit: () => void log.push('quit'),
    warn: (m) => void log.push(m),
  })
  const click = (action: TrayAction): void => onAction?.(action)
  return { tray, views, log, engine, torrents, click, iconClick: () => onClick?.() }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('TrayController', () => {
  it('"Pause all" pauses every torrent that runs; "Resume all" resumes every paused one', async () => {
    const { torrents, engine, click } = setup()
    const running = [summary('downloading'), summary('seeding'), summary('checking')]
    const paused = [summary('paused'), summary('paused')]
    torrents.reset([...running, ...paused, summary('error')])
    click('pause-all')
    click('resume-all')
    await settle()
    expect(engine.calls).toEqual([
      ['pauseTorrents', { infoHashes: running.map((t) => t.infoHash) }],
      ['resumeTorrents', { infoHashes: paused.map((t) => t.infoHash) }],
    ])
  })

  it('asks nothing of the engine when there is nothing to pause or resume', async () => {
    const { engine, click } = setup()
    click('pause-all')
    click('resume-all')
    await settle()
    expect(engine.calls).toEqual([])
  })

  it('routes the window, alternative speed and quit items, and a click on the icon', async () => {
    const { log, click, iconClick } = setup()
    click('toggle-window')
    click('alt-speed')
    click('quit')
    iconClick()
    await settle()
    expect(log).toEqual(['toggle window', 'alt speed', 'quit', 'toggle window'])
  })

  it('logs a failed action instead of throwing into Electron', async () => {
    const { tray, log } = setup({ altSpeedFails: true })
    await tray.onAction('alt-speed')
    expect(log).toEqual(['alt speed', '[tray] alt-speed: engine gone'])
  })

  it('shows the torrents, the last stats and a failed engine', () => {
    const { tray, torrents, views } = setup()
    torrents.reset([summary('downloading')])
    tray.setStats({ downloadSpeed: 2048, uploadSpeed: 0 })
    expect(views.at(-1)?.state).toBe('downloading')
    expect(views.at(-1)?.tooltip).toContain('2 KiB/s')
    tray.setEngineFailed(true)
    const view = views.at(-1)!
    expect(view.state).toBe('error')
    expect(view.tooltip).toContain('The engine has stopped')
    const pause = view.menu.find((i) => i.type === 'action' && i.action === 'pause-all')
    expect(pause).toMatchObject({ enabled: false })
  })

  it('is a no-op, with a warning, where the desktop has no tray', () => {
    const { tray, log, views } = setup({ noTray: true })
    expect(tray.available).toBe(false)
    tray.refresh()
    tray.destroy()
    expect(views).toEqual([])
    expect(log).toEqual(['[tray] unavailable: no status notifier'])
  })
})
