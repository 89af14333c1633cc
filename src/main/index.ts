/**
 * Electron main: the app's lifecycle (single-instance lock, ready, activate, the order of quitting) and
 * the wiring of the desktop controllers. The engine runs in a supervised utility process (engine-host/);
 * the behaviour lives in desktop/*-controller.ts over the pure models, each unit-tested there.
 */
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { app, dialog, protocol, shell } from 'electron'
import type { BrowserWindow } from 'electron'
import { createDispatcher } from './api-dispatch'
import { EngineHostClient } from './engine-host/host-client'
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  serveAppRequest,
} from './desktop/app-protocol'
import { devCsp, productionCsp } from './desktop/csp'
import { desktopEventChannel } from '@shared/channels'
import { desktopHandlers } from './desktop/desktop-handlers'
import { DesktopSettingsStore } from './desktop/desktop-settings'
import { DesktopSettingsController } from './desktop/desktop-settings-controller'
import { DialogsController } from './desktop/dialogs-controller'
import { wireEngineEvents } from './desktop/engine-events-controller'
import { installHardening } from './desktop/hardening'
import { registerApi, registerDesktopApi } from './desktop/ipc'
import { setStartOnLogin } from './desktop/login-item'
import { installAppMenu } from './desktop/menu'
import { menuCommandHandler } from './desktop/menu-controller'
import { notificationsSupported, showNotification } from './desktop/notifications'
import { NotificationsController } from './desktop/notifications-controller'
import { NotificationPolicy } from './desktop/notifications-model'
import { readOpenTarget, readTorrentFile } from './desktop/open-requests'
import { OpenRequestsController } from './desktop/open-requests-controller'
import { QuitController } from './desktop/quit-controller'
import { SeedlingTray } from './desktop/tray'
import { TrayController } from './desktop/tray-controller'
import { TorrentIndex } from './desktop/tray-model'
import { isTrustedRendererUrl } from './desktop/trusted-url'
import { forkUtilityHost } from './desktop/utility-channel'
import { createMainWindow, trackWindowState } from './desktop/window'
import { WindowController } from './desktop/window-controller'
import { translator } from './desktop/i18n/translate'
import { pickLocale } from '@shared/locales'

const dev = !app.isPackaged
const rendererUrl = (dev && process.env['ELECTRON_RENDERER_URL']) || undefined
const rendererDir = path.join(__dirname, '../renderer')
const resourcesDir = path.join(app.getAppPath(), 'resources')
const appIcon = path.join(resourcesDir, 'icon.png')
const warn = (message: string): void => console.warn(message)
const isTrustedUrl = (url: string): boolean => isTrustedRendererUrl(url, { rendererUrl })
const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile()
  } catch {
    return false
  }
}

// Both must happen before `ready`: schemes are fixed then, and the first session and page get created.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])
installHardening({ isAppPage: isTrustedUrl, devCsp: rendererUrl ? devCsp(rendererUrl) : null })

const desktopStore = new DesktopSettingsStore(app.getPath('userData'))
const quit = new QuitController({ settings: desktopStore, quit: () => app.quit(), warn })
const openRequests = new OpenRequestsController({ isFile, read: readOpenTarget, warn })
const acceptArgv = (argv: readonly string[], cwd: string): void =>
  void openRequests.accept(argv, cwd)

// Listened for before `ready`: macOS sends these early.
app.on('open-file', (event, file) => {
  event.preventDefault()
  acceptArgv([file], process.cwd())
})
app.on('open-url', (event, url) => {
  event.preventDefault()
  acceptArgv([url], process.cwd())
})

/** Everything that needs the engine: the window, tray, menu, dialogs, notifications and IPC. */
function wireDesktop(engine: EngineHostClient): void {
  // The system's languages, read once the app is ready (as Electron requires): menus, tray, notifications.
  const t = translator(pickLocale(app.getPreferredSystemLanguages()))
  const torrents = new TorrentIndex()
  const windows: WindowController<BrowserWindow> = new WindowController({
    create: (show) => {
      const win = createMainWindow({
        preload: path.join(__dirname, '../preload/index.cjs'),
        icon: appIcon,
        url: rendererUrl ?? APP_ENTRY_URL,
        saved: desktopStore.get().window,
        show,
      })
      trackWindowState(win, (window) => void desktopStore.set({ ...desktopStore.get(), window }))
      return win
    },
    settings: desktopStore,
    hasTray: () => tray.available,
    isQuitting: () => quit.isQuitting,
    onVisibilityChange: () => tray.refresh(),
    onPageReset: () => openRequests.detach(),
    onSessionEnd: () => void quit.stop(),
    notifyStillRunning: () => notifications.stillRunning(),
  })
  const settings = new DesktopSettingsController({
    store: desktopStore,
    engine,
    setStartOnLogin: (enabled) =>
      setStartOnLogin(enabled, {
        platform: process.platform,
        env: process.env,
        execPath: process.execPath,
        home: app.getPath('home'),
        setLoginItemSettings: (s) => app.setLoginItemSettings(s),
      }),
    onChange: () => tray.refresh(),
  })
  const tray: TrayController = new TrayController({
    create: (onAction, onClick) => new SeedlingTray(resourcesDir, onAction, onClick),
    torrents,
    settings: desktopStore,
    engine,
    windowVisible: () => windows.isVisible(),
    toggleWindow: () => windows.toggle(),
    toggleAltSpeed: () => settings.toggleAltSpeed(),
    quit: () => app.quit(),
    warn,
    t,
  })
  const dialogs = new DialogsController({
    dialog,
    shell,
    window: () => windows.current(),
    readTorrentFile,
    exists: existsSync,
    dataPath: (infoHash) => engine.dataPath(infoHash),
    t,
  })
  const notifications = new NotificationsController({
    policy: new NotificationPolicy(t),
    torrents,
    settings: desktopStore,
    supported: notificationsSupported,
    show: (spec, onClick) => showNotification(spec, onClick, appIcon),
    revealData: (infoHash) => dialogs.revealData(infoHash),
    showWindow: () => windows.show(),
    t,
  })
  quit.manage({ engine, tray })

  registerApi(createDispatcher(engine), engine, () => windows.current(), isTrustedUrl)
  registerDesktopApi(
    desktopHandlers(dialogs, settings),
    (sender) => openRequests.attach(sender),
    () => windows.current(),
    isTrustedUrl,
  )
  installAppMenu(
    { platform: process.platform, dev, t },
    menuCommandHandler({
      pickTorrentFiles: () => dialogs.pickTorrentFiles(),
      open: (request) => openRequests.push(request),
      showWindow: () => windows.show(),
      toRenderer: (command) => windows.send(desktopEventChannel('menu-command'), command),
      showAbout: () => app.showAboutPanel(),
      quit: () => app.quit(),
    }),
  )
  void wireEngineEvents(engine, {
    torrents,
    tray,
    notifications,
    sendStatus: (status) => windows.send(desktopEventChannel('engine-status'), status),
  })

  windows.open(!(desktopStore.get().startMinimized && tray.available))
  openRequests.started(() => windows.show())
  acceptArgv(process.argv, process.cwd())

  app.on('second-instance', (_event, argv, workingDirectory) => {
    acceptArgv(argv, workingDirectory)
    windows.show()
  })
  app.on('activate', () => windows.show())
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && !(tray.available && desktopStore.get().closeToTray))
      app.quit()
  })
}

async function start(): Promise<void> {
  await app.whenReady()
  const warning = await desktopStore.load()
  if (warning) warn(`[desktop] ${warning}`)
  if (!rendererUrl) {
    const csp = productionCsp()
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir, csp))
  }
  // Only a packaged app registers itself; in development it would register the bare Electron binary.
  if (app.isPackaged) app.setAsDefaultProtocolClient('magnet')

  let engine: EngineHostClient
  try {
    engine = await EngineHostClient.start({
      spawn: () => forkUtilityHost(path.join(__dirname, 'host-entry.js')),
      options: { stateDir: app.getPath('userData'), defaultDownloadDir: app.getPath('downloads') },
      log: (m) => warn(`[engine] ${m}`),
    })
  } catch (err) {
    dialog.showErrorBox('Seedling could not start', (err as Error).message)
    app.exit(1)
    return
  }
  wireDesktop(engine)
}

// Quitting (menu, tray, OS) waits for the engine to stop cleanly, so the session is saved.
app.on('before-quit', (event) => quit.beforeQuit(event))

if (!app.requestSingleInstanceLock()) {
  // The first instance gets our argv through 'second-instance'.
  quit.skipShutdown()
  app.quit()
} else {
  void start()
}
