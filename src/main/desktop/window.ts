/**
 * The main window: locked down (context isolation, sandbox, no Node, CSP, no navigation, no new windows;
 * https links open in the browser) and restored where it was, clamped to the displays present now.
 */
import { BrowserWindow, screen, session, shell } from 'electron'
import type { WindowState } from './window-bounds'
import { MIN_HEIGHT, MIN_WIDTH, restoreBounds } from './window-bounds'

/** Mirrors the renderer's meta CSP, sent as a header too wherever the renderer is served over http. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export interface WindowOptions {
  preload: string
  icon?: string
  rendererUrl: string | undefined
  rendererFile: string
  isTrustedUrl(url: string): boolean
  saved: WindowState | null
  show: boolean
}

let cspInstalled = false

/** Adds the CSP header to every response for the renderer (the dev server; file:// relies on the meta tag). */
export function installCsp(isTrustedUrl: (url: string) => boolean): void {
  if (cspInstalled) return
  cspInstalled = true
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    if (!isTrustedUrl(details.url) || details.resourceType !== 'mainFrame')
      return callback({ responseHeaders: details.responseHeaders })
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] },
    })
  })
  // No permission (camera, notifications from the page, geolocation…) is ever granted to web content.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  )
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
  win.webContents.on('will-navigate', (event) => event.preventDefault())
  win.webContents.on('will-redirect', (event) => event.preventDefault())
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isHttps(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  if (opts.rendererUrl) void win.loadURL(opts.rendererUrl)
  else void win.loadFile(opts.rendererFile)
  return win
}

function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:'
  } catch {
    return false
  }
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
