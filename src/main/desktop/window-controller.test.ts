import { describe, expect, it } from 'vitest'
import { FakeWindow, MemorySettings } from './controller-stand-ins'
import { WindowController } from './window-controller'

function setup(opts: { tray?: boolean; closeToTray?: boolean; hintShown?: boolean } = {}) {
  const settings = new MemorySettings({
    closeToTray: opts.closeToTray ?? true,
    closeToTrayHintShown: opts.hintShown ?? false,
  })
  const log: string[] = []
  const created: FakeWindow[] = []
  let quitting = false
  const windows = new WindowController<FakeWindow>({
    create: (show) => {
      const win = new FakeWindow(show)
      created.push(win)
      return win
    },
    settings,
    hasTray: () => opts.tray ?? true,
    isQuitting: () => quitting,
    onVisibilityChange: () => log.push('tray refresh'),
    onPageReset: () => log.push('page reset'),
    onSessionEnd: () => log.push('session end'),
    notifyStillRunning: () => log.push('hint'),
  })
  return { windows, settings, log, created, quit: () => (quitting = true) }
}

describe('WindowController', () => {
  it('closes to the tray: hidden, not destroyed, the hint shown once and remembered', () => {
    const { windows, settings, log } = setup()
    const win = windows.open(true)
    expect(win.close().prevented).toBe(true)
    expect(win.visible).toBe(false)
    expect(windows.current()).toBe(win)
    expect(log).toEqual(['tray refresh', 'tray refresh', 'hint'])
    expect(settings.current.closeToTrayHintShown).toBe(true)
    win.show()
    win.close()
    expect(log.filter((l) => l === 'hint')).toHaveLength(1)
  })

  it.each([
    ['quitting', { quitting: true }],
    ['there is no tray', { tray: false }],
    ['close-to-tray is off', { closeToTray: false }],
  ])(
    'really closes when %s',
    (_case, opts: Parameters<typeof setup>[0] & { quitting?: boolean }) => {
      const s = setup(opts)
      if (opts.quitting) s.quit()
      const win = s.windows.open(true)
      expect(win.close().prevented).toBe(false)
      expect(s.windows.current()).toBeNull()
      expect(s.log).toEqual(['page reset'])
    },
  )

  it('show() reopens a closed window, restores a minimized one and focuses it', () => {
    const { windows, created, quit } = setup()
    quit()
    windows.open(false).close()
    windows.show()
    expect(created).toHaveLength(2)
    const win = created[1]!
    expect([win.visible, win.focused]).toEqual([true, true])
    win.minimized = true
    windows.show()
    expect(win.minimized).toBe(false)
    expect(created).toHaveLength(2)
  })

  it('toggle() hides a visible window and shows a hidden one', () => {
    const { windows } = setup()
    const win = windows.open(true)
    windows.toggle()
    expect(win.visible).toBe(false)
    windows.toggle()
    expect(win.visible).toBe(true)
  })

  it('a reload detaches open requests; session end saves; sends go to a live window only', () => {
    const { windows, log, quit } = setup()
    const win = windows.open(true)
    win.webContents.emit('did-start-loading')
    win.emit('session-end')
    expect(log).toEqual(['page reset', 'session end'])
    windows.send('ch', 1)
    quit()
    win.close()
    windows.send('ch', 2)
    expect(win.sent).toEqual([['ch', 1]])
    expect(windows.isVisible()).toBe(false)
  })
})
