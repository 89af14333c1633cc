/**
 * `Tray`, `Menu` and `nativeImage`: what the app shows (image, tooltip, menus) is kept for the test,
 * and a menu item can be clicked by label the way a user would (a disabled item cannot be).
 */
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { record } from './record'
import type { StandIn } from './record'

type ItemOptions = Electron.MenuItemConstructorOptions

export class StandInNativeImage {
  constructor(readonly path: string) {}

  isEmpty(): boolean {
    return !existsSync(this.path)
  }
}

export const nativeImage = {
  createFromPath: (path: string) => new StandInNativeImage(path) as unknown as Electron.NativeImage,
} satisfies Partial<typeof Electron.nativeImage>

export class StandInMenu {
  static applicationMenu: StandInMenu | null = null

  constructor(readonly template: ItemOptions[]) {}

  static buildFromTemplate(template: ItemOptions[]): StandInMenu {
    return new StandInMenu(template)
  }

  static setApplicationMenu(menu: StandInMenu | null): void {
    record('Menu.setApplicationMenu', menu?.labels() ?? null)
    StandInMenu.applicationMenu = menu
  }

  labels(): string[] {
    return this.template.flatMap((i) => [
      ...(i.label ? [i.label] : []),
      ...(Array.isArray(i.submenu) ? new StandInMenu(i.submenu).labels() : []),
    ])
  }

  /** Clicks the first item with this label, searching submenus too. */
  click(label: string): void {
    const item = find(this.template, label)
    if (!item) throw new Error(`no menu item "${label}" in ${JSON.stringify(this.labels())}`)
    if (item.enabled === false) throw new Error(`menu item "${label}" is disabled`)
    const event = {
      shiftKey: false,
      ctrlKey: false,
      altKey: false,
      metaKey: false,
      triggeredByAccelerator: false,
    }
    item.click?.(item as unknown as Electron.MenuItem, undefined, event)
  }
}

function find(items: ItemOptions[], label: string): ItemOptions | undefined {
  for (const i of items) {
    if (i.label === label) return i
    const inner = Array.isArray(i.submenu) ? find(i.submenu, label) : undefined
    if (inner) return inner
  }
  return undefined
}

export class StandInTray extends EventEmitter implements StandIn<Electron.Tray, 'setContextMenu'> {
  static readonly all: StandInTray[] = []
  image: unknown
  tooltip = ''
  menu: StandInMenu | null = null
  private destroyed = false

  constructor(image: Electron.NativeImage | string) {
    super()
    this.image = image
    StandInTray.all.push(this)
  }

  setImage(image: Electron.NativeImage | string): void {
    this.image = image
  }

  setToolTip(toolTip: string): void {
    this.tooltip = toolTip
  }

  setContextMenu(menu: StandInMenu | null): void {
    this.menu = menu
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  destroy(): void {
    record('Tray.destroy')
    this.destroyed = true
  }
}
