/** The application menu: built from menu-model.ts, commands routed to `onCommand`. */
import { Menu } from 'electron'
import type { MenuItemConstructorOptions } from 'electron'
import type { MenuCommand, MenuItemModel, MenuOptions } from './menu-model'
import { appMenu } from './menu-model'

function toElectron(
  item: MenuItemModel,
  onCommand: (command: MenuCommand) => void,
): MenuItemConstructorOptions {
  switch (item.type) {
    case 'separator':
      return { type: 'separator' }
    case 'role':
      return { role: item.role }
    case 'command':
      return {
        label: item.label,
        accelerator: item.accelerator,
        click: () => onCommand(item.command),
      }
    case 'submenu':
      return item.role
        ? { role: item.role }
        : { label: item.label, submenu: item.items.map((i) => toElectron(i, onCommand)) }
  }
}

export function installAppMenu(opts: MenuOptions, onCommand: (command: MenuCommand) => void): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(appMenu(opts).map((i) => toElectron(i, onCommand))),
  )
}
