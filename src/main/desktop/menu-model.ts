/**
 * The application menu as pure data. menu.ts maps commands to handlers and roles to Electron's; nothing
 * here depends on Electron, so the structure is unit-tested.
 */
import type { MenuCommand } from '@shared/desktop-api'
import type { Translate } from './i18n/translate'

export type { MenuCommand }

export type MenuRole =
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'reload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'appMenu'
  | 'windowMenu'
  | 'minimize'
  | 'close'

export type MenuItemModel =
  | { type: 'command'; command: MenuCommand; label: string; accelerator?: string }
  | { type: 'role'; role: MenuRole }
  | { type: 'separator' }
  | { type: 'submenu'; label: string; role?: MenuRole; items: MenuItemModel[] }

export interface MenuOptions {
  platform: NodeJS.Platform
  dev: boolean
  t: Translate
}

const cmd = (command: MenuCommand, label: string, accelerator?: string): MenuItemModel =>
  accelerator
    ? { type: 'command', command, label, accelerator }
    : { type: 'command', command, label }
const role = (r: MenuRole): MenuItemModel => ({ type: 'role', role: r })
const sep: MenuItemModel = { type: 'separator' }

export function appMenu({ platform, dev, t }: MenuOptions): MenuItemModel[] {
  const mac = platform === 'darwin'
  const file: MenuItemModel = {
    type: 'submenu',
    label: t('menu.file'),
    items: [
      cmd('open-torrent', t('menu.openTorrent'), 'CmdOrCtrl+O'),
      cmd('add-magnet', t('menu.addMagnet'), 'CmdOrCtrl+U'),
      cmd('create-torrent', t('menu.createTorrent'), 'CmdOrCtrl+N'),
      // On macOS, Quit lives in the app menu.
      ...(mac ? [] : [sep, cmd('quit', t('menu.quit'), 'CmdOrCtrl+Q')]),
    ],
  }
  const edit: MenuItemModel = {
    type: 'submenu',
    label: t('menu.edit'),
    items: [
      role('undo'),
      role('redo'),
      sep,
      role('cut'),
      role('copy'),
      role('paste'),
      role('selectAll'),
    ],
  }
  const view: MenuItemModel = {
    type: 'submenu',
    label: t('menu.view'),
    items: [
      ...(dev ? [role('reload'), role('toggleDevTools'), sep] : []),
      role('resetZoom'),
      role('zoomIn'),
      role('zoomOut'),
      sep,
      role('togglefullscreen'),
    ],
  }
  const help: MenuItemModel = {
    type: 'submenu',
    label: t('menu.help'),
    items: [cmd('about', t('menu.about'))],
  }
  const menus = [file, edit, view]
  if (mac) {
    menus.unshift({ type: 'submenu', label: 'Seedling', role: 'appMenu', items: [] })
    menus.push({ type: 'submenu', label: t('menu.window'), role: 'windowMenu', items: [] })
  }
  menus.push(help)
  return menus
}
