/**
 * `app`: lifecycle and paths. Ready comes on the next turn after the main bundle's top level ran; quit
 * follows Electron's documented order: before-quit (preventable), every window closed (a prevented
 * close cancels the quit), will-quit (preventable), quit, then the process ends. `window-all-closed` is
 * not emitted while quitting. `exit` ends at once, without those events.
 */
import { EventEmitter } from 'node:events'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { closeBrowser } from './chromium'
import { preventableEvent, record } from './record'
import type { StandIn } from './record'

const REPO = fileURLToPath(new URL('../../..', import.meta.url))

/** Where userData, downloads and home live: a temp folder the test gives the process. */
function root(): string {
  const dir = process.env['SEEDLING_STAND_IN_ROOT']
  if (!dir) throw new Error('SEEDLING_STAND_IN_ROOT is not set')
  return dir
}

type PathName = Parameters<Electron.App['getPath']>[0]

/** Windows the app has open, for quit to close (registered by BrowserWindow). */
export interface ClosableWindow {
  close(): void
  isDestroyed(): boolean
}

export class StandInApp extends EventEmitter implements StandIn<Electron.App> {
  readonly isPackaged = true
  readonly windows = new Set<ClosableWindow>()
  private ready = false
  private quitting = false
  private readonly readyPromise: Promise<void>

  constructor() {
    super()
    this.readyPromise = new Promise((resolve) =>
      setImmediate(() => {
        this.emit('will-finish-launching')
        this.ready = true
        this.emit('ready', preventableEvent(), {})
        resolve()
      }),
    )
  }

  whenReady(): Promise<void> {
    return this.readyPromise
  }

  isReady(): boolean {
    return this.ready
  }

  getPath(name: PathName): string {
    const dir =
      name === 'userData' || name === 'sessionData'
        ? path.join(root(), 'userData')
        : path.join(root(), name)
    mkdirSync(dir, { recursive: true })
    return dir
  }

  getAppPath(): string {
    return REPO
  }

  /** The test picks the system's languages (comma-separated BCP 47 tags); English otherwise. */
  getPreferredSystemLanguages(): string[] {
    return (process.env['SEEDLING_STAND_IN_LANGUAGES'] ?? 'en-US').split(',')
  }

  requestSingleInstanceLock(): boolean {
    record('app.requestSingleInstanceLock')
    return true
  }

  setAsDefaultProtocolClient(protocol: string): boolean {
    record('app.setAsDefaultProtocolClient', protocol)
    return true
  }

  setLoginItemSettings(settings: Electron.Settings): void {
    record('app.setLoginItemSettings', settings)
  }

  showAboutPanel(): void {
    record('app.showAboutPanel')
  }

  /** A window closed for good: the app quits by itself only if nobody listens (Electron's default). */
  windowClosed(win: ClosableWindow): void {
    this.windows.delete(win)
    if (this.windows.size > 0 || this.quitting) return
    if (this.listenerCount('window-all-closed') > 0) this.emit('window-all-closed')
    else this.quit()
  }

  quit(): void {
    record('app.quit')
    const before = preventableEvent()
    this.emit('before-quit', before)
    if (before.defaultPrevented) return
    this.quitting = true
    for (const win of [...this.windows]) if (!win.isDestroyed()) win.close()
    if ([...this.windows].some((w) => !w.isDestroyed())) {
      this.quitting = false
      return
    }
    const will = preventableEvent()
    this.emit('will-quit', will)
    if (will.defaultPrevented) {
      this.quitting = false
      return
    }
    this.emit('quit', preventableEvent(), 0)
    void this.end(0)
  }

  exit(exitCode = 0): void {
    record('app.exit', exitCode)
    void this.end(exitCode)
  }

  private async end(code: number): Promise<void> {
    await closeBrowser()
    process.exit(code)
  }
}
