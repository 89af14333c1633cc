import { describe, expect, it } from 'vitest'
import { MemorySettings, summary } from './controller-stand-ins'
import { NotificationsController } from './notifications-controller'
import { NotificationPolicy } from './notifications-model'
import { TorrentIndex } from './tray-model'
import { translator } from './i18n/translate'

function setup(opts: { enabled?: boolean; revealFails?: boolean } = {}) {
  const shown: Array<{ title: string; body: string; click: () => void }> = []
  const log: string[] = []
  const torrents = new TorrentIndex()
  const notifications = new NotificationsController({
    policy: new NotificationPolicy(translator('en')),
    t: translator('en'),
    torrents,
    settings: new MemorySettings({ notifications: opts.enabled ?? true }),
    supported: () => true,
    show: (spec, click) => void shown.push({ title: spec.title, body: spec.body, click }),
    revealData: async (infoHash) => {
      if (opts.revealFails) throw new Error('gone')
      log.push(`reveal ${infoHash}`)
    },
    showWindow: () => void log.push('show window'),
  })
  return { notifications, shown, log, torrents }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('NotificationsController', () => {
  it('a completed download notifies once; a click reveals it, or shows the window if it cannot', async () => {
    const { notifications, shown, log, torrents } = setup()
    const t = summary('downloading', { name: 'Big Buck Bunny' })
    torrents.reset([t])
    notifications.engineEvent({ kind: 'done', infoHash: t.infoHash })
    notifications.engineEvent({ kind: 'done', infoHash: t.infoHash })
    expect(shown.map((s) => [s.title, s.body])).toEqual([['Download complete', 'Big Buck Bunny']])
    shown[0]!.click()
    await settle()
    expect(log).toEqual([`reveal ${t.infoHash}`])
    const failing = setup({ revealFails: true })
    failing.notifications.engineEvent({ kind: 'done', infoHash: t.infoHash })
    failing.shown[0]!.click()
    await settle()
    expect(failing.log).toEqual(['show window'])
  })

  it('never notifies for torrents complete at start, nor when the user turned notifications off', () => {
    const done = summary('seeding', { completedAt: '2026-01-01T00:00:00.000Z' })
    const { notifications, shown } = setup()
    notifications.seed([done])
    notifications.engineEvent({ kind: 'done', infoHash: done.infoHash })
    const off = setup({ enabled: false })
    off.notifications.engineEvent({ kind: 'error', infoHash: done.infoHash, error: 'disk full' })
    expect([...shown, ...off.shown]).toEqual([])
  })

  it('tells when the engine was given up and that closing to the tray keeps it running', () => {
    const { notifications, shown, log } = setup()
    notifications.engineFailed({ state: 'failed', reason: 'exit code 9', restarts: 5 })
    notifications.stillRunning()
    expect(shown.map((s) => s.title)).toEqual([
      'The Seedling engine stopped',
      'Seedling is still running',
    ])
    expect(shown[0]!.body).toContain('exit code 9')
    for (const s of shown) s.click()
    expect(log).toEqual(['show window', 'show window'])
  })
})
