/**
 * `BrowserWindow`: visibility, bounds and the close sequence ('close', preventable, then 'closed' and
 * the app's window-all-closed), over a Chromium page (web-contents.ts). A hidden window keeps its page
 * running, as in Electron.
 */
import { EventEmitter } from 'node:events'
import { app } from './app-instance'
import { preventableEvent, record } from './record'
import type { StandIn } from './record'
import { StandInWebContents } from './web-contents'

type Rectangle = Electron.Rectangle

export class StandInBrowserWindow
  extends EventEmitter
  implements StandIn<Electron.BrowserWindow, 'webContents'>
{
  private static readonly all = new Set<StandInBrowserWindow>()
  readonly webContents: StandInWebContents
  private visible = false
  private destroyed = false
  private minimized = false
  private maximized = false
  private bounds: Rectangle

  constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
    super()
    record('BrowserWindow.new', options)
    this.bounds = {
      x: options.x ?? 0,
      y: options.y ?? 0,
      width: options.width ?? 800,
      height: options.height ?? 600,
    }
    this.webContents = new StandInWebContents(options.webPreferences?.preload)
    StandInBrowserWindow.all.add(this)
    app.windows.add(this)
    app.emit('browser-window-created', preventableEvent(), this)
    app.emit('web-contents-created', preventableEvent(), this.webContents)
    this.webContents.once('did-finish-load', () => {
      if (!this.visible && !this.destroyed) this.emit('ready-to-show')
    })
    if (options.show !== false) this.show()
  }

  static getAllWindows(): StandInBrowserWindow[] {
    return [...StandInBrowserWindow.all]
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url)
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  isVisible(): boolean {
    return this.visible
  }

  isMinimized(): boolean {
    return this.minimized
  }

  isMaximized(): boolean {
    return this.maximized
  }

  show(): void {
    this.minimized = false
    if (this.visible) return
    this.visible = true
    this.emit('show')
  }

  hide(): void {
    if (!this.visible) return
    this.visible = false
    this.emit('hide')
  }

  focus(): void {
    record('BrowserWindow.focus')
  }

  restore(): void {
    this.minimized = false
    this.emit('restore')
  }

  maximize(): void {
    this.maximized = true
    this.emit('maximize')
  }

  getNormalBounds(): Rectangle {
    return { ...this.bounds }
  }

  getBounds(): Rectangle {
    return { ...this.bounds }
  }

  /** The user's close (the title bar's button): may be prevented by a 'close' listener. */
  close(): void {
    if (this.destroyed) return
    const event = preventableEvent()
    this.emit('close', event)
    if (!event.defaultPrevented) this.destroy()
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.visible = false
    StandInBrowserWindow.all.delete(this)
    void this.webContents.destroy()
    this.emit('closed')
    app.windowClosed(this)
  }
}
