/**
 * App-wide guards, installed before `ready` so they cover every session and every web contents Electron
 * creates (not only the main window: a frame, a devtools page, or a window someone adds later). The
 * decisions are pure (permissions-model, navigation-model, trusted-url, csp); this is the wiring.
 *
 * - Permissions: Electron grants them all by default; here only the allowlist is, to the app's page.
 * - Devices (HID, serial, USB, Bluetooth): never, and the chooser events are cancelled, since Electron
 *   otherwise picks a device itself (the first Bluetooth one when nobody handles the event).
 * - Navigation and redirects off the app's origin are stopped: a page elsewhere would keep the preload.
 * - New windows are denied; a plain https link from the app goes to the system browser.
 * - <webview> is refused even though webviewTag is off: it is the one way to embed a guest with its
 *   own preferences.
 * - The dev server's pages get the dev CSP as a header (app:// responses carry theirs already).
 */
import { app, session, shell } from 'electron'
import type { Session, WebContents } from 'electron'
import { externalLinkTarget } from './navigation-model'
import { permissionAllowed } from './permissions-model'

export interface HardeningOptions {
  /** Whether a URL is the app's own page (see trusted-url). */
  isAppPage(url: string): boolean
  /** The CSP header for the dev server's pages, or null in a built app. */
  devCsp: string | null
}

const hardened = new WeakSet<Session>()

function hardenSession(ses: Session, opts: HardeningOptions): void {
  if (hardened.has(ses)) return
  hardened.add(ses)
  ses.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(
      permissionAllowed(
        permission,
        { url: details.requestingUrl, isMainFrame: details.isMainFrame },
        opts.isAppPage,
      ),
    ),
  )
  ses.setPermissionCheckHandler((_wc, permission, origin, details) =>
    permissionAllowed(
      permission,
      { url: details.requestingUrl ?? origin, isMainFrame: details.isMainFrame },
      opts.isAppPage,
    ),
  )
  ses.setDevicePermissionHandler(() => false)
  ses.setBluetoothPairingHandler((_details, callback) => callback({ confirmed: false }))
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault()
    callback()
  })
  ses.on('select-serial-port', (event, _ports, _wc, callback) => {
    event.preventDefault()
    callback('')
  })
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault()
    callback()
  })
  const devCsp = opts.devCsp
  if (devCsp) {
    ses.webRequest.onHeadersReceived((details, callback) => {
      const page = details.resourceType === 'mainFrame' && opts.isAppPage(details.url)
      const headers = { ...details.responseHeaders, 'Content-Security-Policy': [devCsp] }
      callback({ responseHeaders: page ? headers : details.responseHeaders })
    })
  }
}

function guardWebContents(contents: WebContents, opts: HardeningOptions): void {
  const stayHome = (event: { url: string; preventDefault(): void }): void => {
    if (!opts.isAppPage(event.url)) event.preventDefault()
  }
  contents.on('will-navigate', stayHome)
  contents.on('will-frame-navigate', stayHome)
  contents.on('will-redirect', stayHome)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault()
    callback('')
  })
  contents.setWindowOpenHandler(({ url }) => {
    const target = externalLinkTarget(url, contents.getURL(), opts.isAppPage)
    if (target) void shell.openExternal(target)
    return { action: 'deny' }
  })
}

/** Call once, before `ready`. */
export function installHardening(opts: HardeningOptions): void {
  app.on('session-created', (ses) => hardenSession(ses, opts))
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, opts))
  // The default session may exist before our listener; harden it explicitly (once either way).
  void app.whenReady().then(() => hardenSession(session.defaultSession, opts))
}
