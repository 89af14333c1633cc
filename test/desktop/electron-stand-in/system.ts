/**
 * `dialog`, `shell`, `Notification`, `screen`, `session`: no UI and no OS here, so each records what it
 * was asked and answers as a user who cancels would (dialogs) or as a single 1920×1080 display.
 */
import { EventEmitter } from 'node:events'
import { record } from './record'
import type { StandIn } from './record'

export const dialog = {
  showErrorBox(title: string, content: string): void {
    record('dialog.showErrorBox', title, content)
  },
  showOpenDialog(...args: unknown[]): Promise<Electron.OpenDialogReturnValue> {
    record('dialog.showOpenDialog', ...args.filter((a) => !(a instanceof EventEmitter)))
    return Promise.resolve({ canceled: true, filePaths: [] })
  },
  showMessageBox(...args: unknown[]): Promise<Electron.MessageBoxReturnValue> {
    record('dialog.showMessageBox', ...args.filter((a) => !(a instanceof EventEmitter)))
    return Promise.resolve({ response: 0, checkboxChecked: false })
  },
} satisfies Partial<Electron.Dialog>

export const shell = {
  openExternal(url: string): Promise<void> {
    record('shell.openExternal', url)
    return Promise.resolve()
  },
  openPath(path: string): Promise<string> {
    record('shell.openPath', path)
    return Promise.resolve('')
  },
  showItemInFolder(fullPath: string): void {
    record('shell.showItemInFolder', fullPath)
  },
} satisfies Partial<Electron.Shell>

export class StandInNotification extends EventEmitter implements StandIn<Electron.Notification> {
  constructor(readonly options: Electron.NotificationConstructorOptions = {}) {
    super()
  }

  static isSupported(): boolean {
    return true
  }

  show(): void {
    record('Notification.show', this.options)
  }
}

const display = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1040 },
  scaleFactor: 1,
} as Electron.Display

export const screen = {
  getPrimaryDisplay: () => display,
  getAllDisplays: () => [display],
} satisfies Partial<Electron.Screen>

class StandInSession extends EventEmitter {
  readonly webRequest = {
    onHeadersReceived: (...args: unknown[]) =>
      record('session.webRequest.onHeadersReceived', ...args),
  }

  setPermissionRequestHandler(handler: unknown): void {
    record('session.setPermissionRequestHandler', handler)
  }

  setPermissionCheckHandler(handler: unknown): void {
    record('session.setPermissionCheckHandler', handler)
  }

  setDevicePermissionHandler(handler: unknown): void {
    record('session.setDevicePermissionHandler', handler)
  }

  setBluetoothPairingHandler(handler: unknown): void {
    record('session.setBluetoothPairingHandler', handler)
  }
}

export const session = {
  defaultSession: new StandInSession() as unknown as Electron.Session,
} satisfies Partial<typeof Electron.session>
