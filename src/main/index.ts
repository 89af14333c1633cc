/**
 * Electron main: app lifecycle, the single-instance lock, and wiring the engine to the window. Everything
 * with logic lives in the engine (plain Node) or in small desktop modules.
 */
import path from 'node:path'
import { app, BrowserWindow, shell } from 'electron'
import { TorrentEngine } from './engine/engine'
import { createDispatcher } from './api-dispatch'
import { registerApi } from './desktop/ipc'

let mainWindow: BrowserWindow | null = null
const rendererUrl = process.env['ELECTRON_RENDERER_URL']
const rendererFile = path.join(__dirname, '../renderer/index.html')

function isTrustedUrl(url: string): boolean {
  if (rendererUrl) return url.startsWith(rendererUrl)
  return (
    url.startsWith('file://') &&
    decodeURIComponent(new URL(url).pathname).endsWith('/renderer/index.html')
  )
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 720,
    show: false,
    title: 'Seedling',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  win.webContents.on('will-navigate', (event) => event.preventDefault())
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  if (rendererUrl) void win.loadURL(rendererUrl)
  else void win.loadFile(rendererFile)
  return win
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  await app.whenReady()
  const engine = await TorrentEngine.open({
    stateDir: app.getPath('userData'),
    defaultDownloadDir: app.getPath('downloads'),
    log: (m) => console.warn(`[engine] ${m}`),
  })
  registerApi(createDispatcher(engine), engine, () => mainWindow, isTrustedUrl)
  mainWindow = createWindow()
  mainWindow.on('closed', () => (mainWindow = null))
  app.on('second-instance', () => {
    if (!mainWindow) mainWindow = createWindow()
    mainWindow.show()
    mainWindow.focus()
  })
  app.on('activate', () => {
    if (!mainWindow) mainWindow = createWindow()
  })
  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting) return
    event.preventDefault()
    quitting = true
    engine.close().finally(() => app.quit())
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}

void start()
