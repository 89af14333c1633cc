/** The tray icon: state, tooltip and menu come from tray-model.ts; this only hands them to Electron. */
import path from 'node:path'
import { Menu, nativeImage, Tray } from 'electron'
import type { MenuItemConstructorOptions, NativeImage } from 'electron'
import type { TrayAction, TrayIconState, TrayMenuItem } from './tray-model'

export interface TrayView {
  state: TrayIconState
  tooltip: string
  menu: TrayMenuItem[]
}

export class SeedlingTray {
  private readonly tray: Tray
  private readonly images = new Map<TrayIconState, NativeImage>()
  private last = ''

  constructor(
    private readonly resourcesDir: string,
    private readonly onAction: (action: TrayAction) => void,
    onClick: () => void,
  ) {
    this.tray = new Tray(this.image('idle'))
    this.tray.on('click', onClick)
  }

  private image(state: TrayIconState): NativeImage {
    let img = this.images.get(state)
    if (!img) {
      // tray-<state>.png with its tray-<state>@2x.png beside it for high-DPI screens.
      img = nativeImage.createFromPath(path.join(this.resourcesDir, `tray-${state}.png`))
      this.images.set(state, img)
    }
    return img
  }

  update(view: TrayView): void {
    const key = JSON.stringify(view)
    if (key === this.last || this.tray.isDestroyed()) return
    this.last = key
    this.tray.setImage(this.image(view.state))
    this.tray.setToolTip(view.tooltip)
    this.tray.setContextMenu(Menu.buildFromTemplate(view.menu.map((i) => this.item(i))))
  }

  private item(i: TrayMenuItem): MenuItemConstructorOptions {
    switch (i.type) {
      case 'separator':
        return { type: 'separator' }
      case 'info':
        return { label: i.label, enabled: false }
      case 'checkbox':
        return {
          type: 'checkbox',
          label: i.label,
          checked: i.checked,
          enabled: i.enabled,
          click: () => this.onAction(i.action),
        }
      case 'action':
        return { label: i.label, enabled: i.enabled, click: () => this.onAction(i.action) }
    }
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy()
  }
}
