import { describe, expect, it } from 'vitest'
import type { MenuItemModel } from './menu-model'
import { appMenu } from './menu-model'
import { translator } from './i18n/translate'

const en = translator('en')

const labels = (items: MenuItemModel[]): string[] =>
  items.map((i) =>
    i.type === 'submenu'
      ? i.label
      : i.type === 'command'
        ? i.label
        : i.type === 'role'
          ? i.role
          : '-',
  )
const sub = (items: MenuItemModel[], label: string): MenuItemModel[] => {
  const m = items.find((i) => i.type === 'submenu' && i.label === label)
  if (!m || m.type !== 'submenu') throw new Error(`no ${label} menu`)
  return m.items
}

describe('application menu', () => {
  it('Linux/Windows: File (open, magnet, create, quit), Edit roles, View, Help', () => {
    const menu = appMenu({ platform: 'linux', dev: false, t: en })
    expect(labels(menu)).toEqual(['File', 'Edit', 'View', 'Help'])
    expect(sub(menu, 'File')).toEqual([
      {
        type: 'command',
        command: 'open-torrent',
        label: 'Open Torrent…',
        accelerator: 'CmdOrCtrl+O',
      },
      {
        type: 'command',
        command: 'add-magnet',
        label: 'Add Magnet Link…',
        accelerator: 'CmdOrCtrl+U',
      },
      {
        type: 'command',
        command: 'create-torrent',
        label: 'Create Torrent…',
        accelerator: 'CmdOrCtrl+N',
      },
      { type: 'separator' },
      { type: 'command', command: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' },
    ])
    expect(labels(sub(menu, 'Edit'))).toEqual([
      'undo',
      'redo',
      '-',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ])
  })

  it('offers reload and dev tools only in development', () => {
    const prod = labels(sub(appMenu({ platform: 'win32', dev: false, t: en }), 'View'))
    const dev = labels(sub(appMenu({ platform: 'win32', dev: true, t: en }), 'View'))
    expect(prod).not.toContain('reload')
    expect(prod).not.toContain('toggleDevTools')
    expect(dev.slice(0, 2)).toEqual(['reload', 'toggleDevTools'])
  })

  it('macOS: app and window menus by role; Quit lives in the app menu', () => {
    const menu = appMenu({ platform: 'darwin', dev: false, t: en })
    expect(labels(menu)).toEqual(['Seedling', 'File', 'Edit', 'View', 'Window', 'Help'])
    expect(sub(menu, 'File').some((i) => i.type === 'command' && i.command === 'quit')).toBe(false)
  })
})
