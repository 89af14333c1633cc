/**
 * The main window: locked down (context isolation, sandbox, no Node) and restored where it was, clamped
 * to the displays present now. Navigation, new windows, webviews, permissions and the CSP are guarded
 * app-wide, for every web contents, in hardening.ts.
 */
import { BrowserWindow, screen } from 'electron'
import type { WindowState } from './window-bounds'
import { MIN_HEIGHT, MIN_WIDTH, restoreBounds } from './window-bounds'

export interface WindowOptions {
  preload: string
  icon?: string
  /** The renderer: the dev server in development, app://seedling/index.html in a built app. */
  url: string
  saved: WindowState | null
  show: boolean
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const workAreas = [
    screen.getPrimaryDisplay().workArea,
    ...screen.getAllDisplays().map((d) => d.workArea),
  ]
  const bounds = restoreBounds(opts.saved, workAreas)
  const win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'Seedling',
    icon: opts.icon,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  })
  if (opts.saved?.maximized) win.maximize()
  win.once('ready-to-show', () => {
    if (opts.show) win.show()
  })
  void win.loadURL(opts.url)
  return win
}

/** Calls `save` with the window's normal bounds when it moves or resizes (debounced) and when it closes. */
export function trackWindowState(win: BrowserWindow, save: (state: WindowState) => void): void {
  let timer: NodeJS.Timeout | null = null
  const snapshot = (): void => {
    if (win.isDestroyed()) return
    const b = win.getNormalBounds()
    save({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() })
  }
  const later = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(snapshot, 500)
  }
  win.on('resize', later)
  win.on('move', later)
  win.on('maximize', later)
  win.on('unmaximize', later)
  win.on('close', () => {
    if (timer) clearTimeout(timer)
    snapshot()
  })
}
