/**
 * The main window's life: one at a time, reopened on demand, and closed to the tray (hidden, the engine
 * going on) when the user wants that and a tray icon exists to bring it back.
 */
import type { DesktopSettings } from '@shared/desktop-api'

/** The part of a BrowserWindow this controller uses. */
export interface MainWindow {
  isDestroyed(): boolean
  isMinimized(): boolean
  isVisible(): boolean
  restore(): void
  show(): void
  hide(): void
  focus(): void
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown
  on(event: 'session-end', listener: () => void): unknown
  on(event: 'show', listener: () => void): unknown
  on(event: 'hide', listener: () => void): unknown
  on(event: 'closed', listener: () => void): unknown
  webContents: {
    send(channel: string, payload: unknown): void
    on(event: 'did-start-loading', listener: () => void): unknown
  }
}

export interface WindowDeps<W extends MainWindow> {
  /** A new window, placed where the last one was and tracked; shown once ready if `show`. */
  create(show: boolean): W
  settings: {
    get(): DesktopSettings
    set(next: DesktopSettings): Promise<void>
  }
  /** Whether a tray icon exists to bring a hidden window back. */
  hasTray(): boolean
  isQuitting(): boolean
  /** Shown, hidden or gone: the tray menu says which. */
  onVisibilityChange(): void
  /** A reload, a new page or a closed window: it must subscribe again before open requests go to it. */
  onPageReset(): void
  /** Windows logoff or shutdown, where no before-quit comes: the session must be saved now. */
  onSessionEnd(): void
  /** The once-only hint, after the first close to the tray, that transfers go on. */
  notifyStillRunning(): void
}

export class WindowController<W extends MainWindow = MainWindow> {
  private win: W | null = null

  constructor(private readonly deps: WindowDeps<W>) {}

  /** The window, unless there is none or it is being destroyed. */
  current(): W | null {
    return this.win && !this.win.isDestroyed() ? this.win : null
  }

  isVisible(): boolean {
    return this.current()?.isVisible() ?? false
  }

  open(show: boolean): W {
    const win = this.deps.create(show)
    this.win = win
    win.webContents.on('did-start-loading', () => this.deps.onPageReset())
    win.on('close', (event) => this.onClose(win, event))
    win.on('session-end', () => this.deps.onSessionEnd())
    win.on('show', () => this.deps.onVisibilityChange())
    win.on('hide', () => this.deps.onVisibilityChange())
    win.on('closed', () => {
      this.deps.onPageReset()
      if (this.win === win) this.win = null
    })
    return win
  }

  show(): void {
    const win = this.current() ?? this.open(true)
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
    this.deps.onVisibilityChange()
  }

  toggle(): void {
    if (this.isVisible()) this.current()?.hide()
    else this.show()
  }

  send(channel: string, payload: unknown): void {
    this.current()?.webContents.send(channel, payload)
  }

  private onClose(win: W, event: { preventDefault(): void }): void {
    const settings = this.deps.settings.get()
    if (this.deps.isQuitting() || !settings.closeToTray || !this.deps.hasTray()) return
    event.preventDefault()
    win.hide()
    this.deps.onVisibilityChange()
    if (!settings.closeToTrayHintShown) {
      void this.deps.settings.set({ ...this.deps.settings.get(), closeToTrayHintShown: true })
      this.deps.notifyStillRunning()
    }
  }
}
