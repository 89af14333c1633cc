/**
 * Electron main: app lifecycle, the single-instance lock, and wiring. The engine runs in a supervised
 * utility process (engine-host/); everything with logic lives in pure modules under desktop/ and is
 * unit-tested there. What is here is glue: a few lines per Electron call.
 */
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { app, dialog, protocol, shell } from 'electron'
import type { BrowserWindow } from 'electron'
import { z } from 'zod'
import { createDispatcher } from './api-dispatch'
import { EngineHostClient } from './engine-host/host-client'
import type { HostStatus } from './engine-host/host-client'
import { SeedlingError } from '../shared/api'
import type { OpenRequest } from '../shared/desktop-api'
import { InfoHashRequestSchema } from '../shared/schema'
import type { DesktopSettings, DesktopSettingsPatch } from '../shared/desktop-api'
import { DesktopSettingsPatchSchema } from '../shared/desktop-settings-schema'
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  serveAppRequest,
} from './desktop/app-protocol'
import { devCsp, productionCsp } from './desktop/csp'
import { altSpeedTransition, DesktopSettingsStore } from './desktop/desktop-settings'
import { installHardening } from './desktop/hardening'
import type { DesktopHandlers } from './desktop/ipc'
import { desktopEventChannel } from './desktop/desktop-channels'
import { registerApi, registerDesktopApi } from './desktop/ipc'
import { autostartFile, setLinuxAutostart } from './desktop/login-item'
import { installAppMenu } from './desktop/menu'
import type { MenuCommand } from './desktop/menu-model'
import { notificationsSupported, showNotification } from './desktop/notifications'
import { NotificationPolicy } from './desktop/notifications-model'
import type { OpenTarget } from './desktop/open-requests'
import {
  OpenRequestQueue,
  parseOpenRequests,
  readOpenTarget,
  readTorrentFile,
} from './desktop/open-requests'
import { SeedlingTray } from './desktop/tray'
import type { TrayAction } from './desktop/tray-model'
import {
  countTorrents,
  TorrentIndex,
  trayIconState,
  trayMenu,
  trayTooltip,
} from './desktop/tray-model'
import { isTrustedRendererUrl } from './desktop/trusted-url'
import { forkUtilityHost } from './desktop/utility-channel'
import { createMainWindow, trackWindowState } from './desktop/window'

const dev = !app.isPackaged
const rendererUrl = (dev && process.env['ELECTRON_RENDERER_URL']) || undefined
const rendererDir = path.join(__dirname, '../renderer')
const resourcesDir = path.join(app.getAppPath(), 'resources')
const appIcon = path.join(resourcesDir, 'icon.png')

const isTrustedUrl = (url: string): boolean => isTrustedRendererUrl(url, { rendererUrl })

// Both must happen before `ready`: schemes are fixed then, and the first session and page get created.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])
installHardening({ isAppPage: isTrustedUrl, devCsp: rendererUrl ? devCsp(rendererUrl) : null })

// ---- state ----
let mainWindow: BrowserWindow | null = null
let engine: EngineHostClient | null = null
let tray: SeedlingTray | null = null
let quitting = false
let started = false
let engineFailed = false
let lastStats: { downloadSpeed: number; uploadSpeed: number } | null = null
const openQueue = new OpenRequestQueue()
const torrents = new TorrentIndex()
const notifications = new NotificationPolicy()
const desktopStore = new DesktopSettingsStore(app.getPath('userData'))
const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile()
  } catch {
    return false
  }
}

// ---- open requests from the OS: registered before `ready`, macOS sends them early ----
async function acceptTargets(targets: OpenTarget[]): Promise<void> {
  for (const target of targets) {
    const read = await readOpenTarget(target)
    if ('error' in read) console.warn(`[open] ${read.error}`)
    else openQueue.push(read.request)
  }
  if (targets.length > 0 && started) showWindow()
}

function acceptArgv(argv: readonly string[], cwd: string): void {
  void acceptTargets(parseOpenRequests(argv, { cwd, isFile }))
}

app.on('open-file', (event, file) => {
  event.preventDefault()
  acceptArgv([file], process.cwd())
})
app.on('open-url', (event, url) => {
  event.preventDefault()
  acceptArgv([url], process.cwd())
})

// ---- window ----
function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = openWindow(true)
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
  refreshTray()
}

function openWindow(show: boolean): BrowserWindow {
  const win = createMainWindow({
    preload: path.join(__dirname, '../preload/index.cjs'),
    icon: appIcon,
    url: rendererUrl ?? APP_ENTRY_URL,
    saved: desktopStore.get().window,
    show,
  })
  trackWindowState(win, (window) => void desktopStore.set({ ...desktopStore.get(), window }))
  // A reload or a new page must subscribe again before open requests are delivered.
  win.webContents.on('did-start-loading', () => openQueue.detach())
  win.on('close', (event) => {
    const settings = desktopStore.get()
    if (quitting || !settings.closeToTray || !tray) return
    event.preventDefault()
    win.hide()
    refreshTray()
    if (!settings.closeToTrayHintShown) {
      void desktopStore.set({ ...desktopStore.get(), closeToTrayHintShown: true })
      showNotification(
        {
          title: 'Seedling is still running',
          body: 'Transfers go on in the background. Quit from the tray icon to stop them.',
        },
        showWindow,
        appIcon,
      )
    }
  })
  // Windows logoff/shutdown: no before-quit is emitted; save the session while there is time.
  win.on('session-end', () => void stopEverything())
  win.on('show', refreshTray)
  win.on('hide', refreshTray)
  win.on('closed', () => {
    openQueue.detach()
    if (mainWindow === win) mainWindow = null
  })
  return win
}

function toggleWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed() && mainWindow.isVisible()) mainWindow.hide()
  else showWindow()
}

function sendToWindow(channel: string, payload: unknown): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload)
}

// ---- tray ----
function refreshTray(): void {
  if (!tray) return
  const counts = countTorrents(torrents.all())
  const altSpeed = desktopStore.get().altSpeed.enabled
  tray.update({
    state: trayIconState(counts, engineFailed),
    tooltip: trayTooltip(counts, lastStats, { altSpeed, engineFailed }),
    menu: trayMenu({
      windowVisible: Boolean(mainWindow && !mainWindow.isDestroyed() && mainWindow.isVisible()),
      counts,
      altSpeed,
      engineRunning: !engineFailed,
    }),
  })
}

async function setAltSpeed(enable: boolean): Promise<DesktopSettings> {
  if (!engine) throw new SeedlingError('the engine is not running', 'internal')
  const settings = await engine.getSettings()
  const { enginePatch, next } = altSpeedTransition(enable, settings, desktopStore.get())
  if (enginePatch) await engine.updateSettings(enginePatch)
  await desktopStore.set(next)
  refreshTray()
  return desktopStore.get()
}

function onTrayAction(action: TrayAction): void {
  const e = engine
  const run = async (): Promise<void> => {
    switch (action) {
      case 'toggle-window':
        return toggleWindow()
      case 'quit':
        return app.quit()
      case 'pause-all': {
        const infoHashes = torrents.hashes((t) => t.status !== 'paused' && t.status !== 'error')
        if (e && infoHashes.length) await e.pauseTorrents({ infoHashes })
        return
      }
      case 'resume-all': {
        const infoHashes = torrents.hashes((t) => t.status === 'paused')
        if (e && infoHashes.length) await e.resumeTorrents({ infoHashes })
        return
      }
      case 'alt-speed':
        await setAltSpeed(!desktopStore.get().altSpeed.enabled)
        return
    }
  }
  run().catch((err: Error) => console.warn(`[tray] ${action}: ${err.message}`))
}

// ---- desktop API ----
async function setStartOnLogin(enabled: boolean): Promise<void> {
  if (process.platform === 'linux') {
    // An AppImage must be started through its own path, not the mounted binary inside it.
    const exec = process.env['APPIMAGE'] ?? process.execPath
    await setLinuxAutostart(autostartFile(process.env, app.getPath('home')), exec, enabled)
  } else {
    app.setLoginItemSettings({ openAtLogin: enabled })
  }
}

const ChooseFolderSchema = z.object({
  title: z.string().max(200),
  defaultPath: z.string().max(4096).optional(),
})

async function pickTorrentFiles(): Promise<Array<Exclude<OpenRequest, { kind: 'magnet' }>>> {
  const options: Electron.OpenDialogOptions = {
    title: 'Open torrent files',
    properties: ['openFile', 'multiSelections'],
    filters: [{ name: 'Torrent files', extensions: ['torrent'] }],
  }
  const result = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options)
  if (result.canceled) return []
  const picked: Array<Exclude<OpenRequest, { kind: 'magnet' }>> = []
  const errors: string[] = []
  for (const file of result.filePaths) {
    const read = await readTorrentFile(file)
    if ('error' in read) errors.push(read.error)
    else picked.push({ kind: 'file', name: read.name, source: read.source })
  }
  if (errors.length > 0) dialog.showErrorBox('Some files could not be opened', errors.join('\n'))
  return picked
}

async function updateDesktopSettings(patch: DesktopSettingsPatch): Promise<DesktopSettings> {
  const before = desktopStore.get()
  const { altSpeed, ...rest } = patch
  await desktopStore.update({
    ...rest,
    altSpeed: { ...altSpeed, enabled: before.altSpeed.enabled },
  })
  if (patch.startOnLogin !== undefined) await setStartOnLogin(patch.startOnLogin)
  if (altSpeed?.enabled !== undefined && altSpeed.enabled !== before.altSpeed.enabled) {
    await setAltSpeed(altSpeed.enabled)
  } else if (before.altSpeed.enabled && engine && altSpeed) {
    // New alternative limits while they are in force: apply them now.
    const now = desktopStore.get().altSpeed
    await engine.updateSettings({ downloadLimit: now.downloadLimit, uploadLimit: now.uploadLimit })
  }
  refreshTray()
  return desktopStore.get()
}

function desktopHandlers(host: EngineHostClient): DesktopHandlers {
  return {
    openTorrentFiles: async () =>
      (await pickTorrentFiles()).map(({ name, source }) => ({ name, source })),
    chooseFolder: async (params) => {
      const req = ChooseFolderSchema.parse(params)
      const options: Electron.OpenDialogOptions = {
        title: req.title,
        defaultPath: req.defaultPath,
        properties: ['openDirectory', 'createDirectory'],
      }
      const result = mainWindow
        ? await dialog.showOpenDialog(mainWindow, options)
        : await dialog.showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },
    revealTorrent: async (params) => {
      const checked = InfoHashRequestSchema.safeParse(params)
      if (!checked.success) throw new SeedlingError('invalid revealTorrent request: bad info hash')
      // The path comes from the engine, never from the renderer.
      const target = await host.dataPath(checked.data.infoHash)
      if (existsSync(target)) shell.showItemInFolder(target)
      else {
        const error = await shell.openPath(path.dirname(target))
        if (error) throw new SeedlingError(`cannot open the folder: ${error}`, 'io')
      }
    },
    getDesktopSettings: async () => desktopStore.get(),
    updateDesktopSettings: async (params) =>
      updateDesktopSettings(DesktopSettingsPatchSchema.parse(params)),
  }
}

function onMenuCommand(command: MenuCommand): void {
  switch (command) {
    case 'open-torrent':
      void pickTorrentFiles().then((files) => {
        for (const f of files) openQueue.push(f)
        if (files.length) showWindow()
      })
      return
    case 'add-magnet':
    case 'create-torrent':
      showWindow()
      sendToWindow(desktopEventChannel('menu-command'), command)
      return
    case 'about':
      app.showAboutPanel()
      return
    case 'quit':
      app.quit()
  }
}

// ---- engine ----
function wireEngine(host: EngineHostClient): void {
  const reseed = async (): Promise<void> => {
    const list = await host.listTorrents()
    torrents.reset(list)
    notifications.seed(list)
    refreshTray()
  }
  host.on('torrents:changed', (list) => {
    torrents.upsert(list)
    refreshTray()
  })
  host.on('torrent:added', (t) => {
    torrents.upsert([t])
    refreshTray()
  })
  host.on('torrent:removed', (infoHash) => {
    torrents.remove(infoHash)
    notifications.forget(infoHash)
    refreshTray()
  })
  host.on('stats', (stats) => {
    lastStats = stats
    refreshTray()
  })
  const notify = (event: Parameters<NotificationPolicy['decide']>[0]): void => {
    const spec = notifications.decide(event, {
      enabled: desktopStore.get().notifications,
      supported: notificationsSupported(),
      nameOf: (h) => torrents.get(h)?.name,
    })
    if (!spec) return
    const onClick =
      spec.onClick === 'reveal'
        ? () =>
            void host
              .dataPath(spec.infoHash)
              .then((p) => shell.showItemInFolder(p))
              .catch(() => showWindow())
        : showWindow
    showNotification(spec, onClick, appIcon)
  }
  host.on('torrent:done', (infoHash) => notify({ kind: 'done', infoHash }))
  host.on('torrent:error', ({ infoHash, error }) => notify({ kind: 'error', infoHash, error }))
  host.on('host:status', (status: HostStatus) => {
    engineFailed = status.state === 'failed'
    sendToWindow(desktopEventChannel('engine-status'), status)
    refreshTray()
  })
  host.on('host:restarted', () => void reseed().catch(() => undefined))
  host.on('host:failed', (status) => {
    showNotification(
      {
        title: 'The Seedling engine stopped',
        body: `It stopped too often to be restarted (${status.reason ?? 'unknown'}). Restart Seedling.`,
      },
      showWindow,
      appIcon,
    )
  })
  void reseed().catch(() => undefined)
}

async function start(): Promise<void> {
  await app.whenReady()
  const warning = await desktopStore.load()
  if (warning) console.warn(`[desktop] ${warning}`)
  if (!rendererUrl) {
    const csp = productionCsp()
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir, csp))
  }
  // Only a packaged app registers itself; in development it would register the bare Electron binary.
  if (app.isPackaged) app.setAsDefaultProtocolClient('magnet')

  try {
    engine = await EngineHostClient.start({
      spawn: () => forkUtilityHost(path.join(__dirname, 'host-entry.js')),
      options: { stateDir: app.getPath('userData'), defaultDownloadDir: app.getPath('downloads') },
      log: (m) => console.warn(`[engine] ${m}`),
    })
  } catch (err) {
    dialog.showErrorBox('Seedling could not start', (err as Error).message)
    app.exit(1)
    return
  }
  const host = engine
  registerApi(createDispatcher(host), host, () => mainWindow, isTrustedUrl)
  registerDesktopApi(
    desktopHandlers(host),
    (sender) =>
      openQueue.attach((req) => {
        if (!sender.isDestroyed()) sender.send(desktopEventChannel('open-request'), req)
      }),
    () => mainWindow,
    isTrustedUrl,
  )
  installAppMenu({ platform: process.platform, dev }, onMenuCommand)
  try {
    tray = new SeedlingTray(resourcesDir, onTrayAction, toggleWindow)
  } catch (err) {
    console.warn(`[tray] unavailable: ${(err as Error).message}`)
  }
  wireEngine(host)

  const settings = desktopStore.get()
  mainWindow = openWindow(!(settings.startMinimized && tray))
  started = true
  acceptArgv(process.argv, process.cwd())

  app.on('second-instance', (_event, argv, workingDirectory) => {
    acceptArgv(argv, workingDirectory)
    showWindow()
  })
  app.on('activate', showWindow)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && !(tray && desktopStore.get().closeToTray)) app.quit()
  })
}

// Quitting (menu, tray, OS): stop the engine cleanly so the session is saved, then exit.
let shutdownDone = false
let shutdown: Promise<void> | null = null
function stopEverything(): Promise<void> {
  quitting = true
  shutdown ??= (async () => {
    try {
      await engine?.close()
      await desktopStore.flush()
    } catch (err) {
      console.warn(`[quit] ${(err as Error).message}`)
    } finally {
      engine = null
      tray?.destroy()
      tray = null
      shutdownDone = true
    }
  })()
  return shutdown
}

app.on('before-quit', (event) => {
  quitting = true
  if (shutdownDone) return
  event.preventDefault()
  void stopEverything().then(() => app.quit())
})

if (!app.requestSingleInstanceLock()) {
  // The first instance gets our argv through 'second-instance'; nothing to save here.
  shutdownDone = true
  app.quit()
} else {
  void start()
}
