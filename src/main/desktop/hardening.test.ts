/**
 * The wiring of hardening.ts against a stand-in for Electron's app, sessions and web contents (the
 * binary is not available here): every session and every web contents gets the guards, and each guard
 * answers Electron the way its documentation asks.
 */
import { EventEmitter } from 'node:events'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { isAppUrl } from './app-protocol'

type Handler = (...args: never[]) => unknown

class FakeSession extends EventEmitter {
  handlers: Record<string, Handler> = {}
  headers: Handler | null = null
  setPermissionRequestHandler = (h: Handler): void => void (this.handlers['request'] = h)
  setPermissionCheckHandler = (h: Handler): void => void (this.handlers['check'] = h)
  setDevicePermissionHandler = (h: Handler): void => void (this.handlers['device'] = h)
  setBluetoothPairingHandler = (h: Handler): void => void (this.handlers['pairing'] = h)
  webRequest = { onHeadersReceived: (h: Handler): void => void (this.headers = h) }
}

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null
  constructor(private url: string) {
    super()
  }
  getURL = (): string => this.url
  setWindowOpenHandler = (h: (details: { url: string }) => { action: string }): void =>
    void (this.openHandler = h)
}

const fake = vi.hoisted(() => ({
  app: null as unknown as EventEmitter & { whenReady(): Promise<void> },
  defaultSession: null as unknown,
  openExternal: [] as string[],
}))

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  fake.app = Object.assign(new Emitter(), { whenReady: () => Promise.resolve() })
  return {
    app: fake.app,
    session: {
      get defaultSession() {
        return fake.defaultSession
      },
    },
    shell: { openExternal: async (url: string) => void fake.openExternal.push(url) },
  }
})

const { installHardening } = await import('./hardening')

function event(url = ''): { url: string; prevented: boolean; preventDefault(): void } {
  return {
    url,
    prevented: false,
    preventDefault() {
      this.prevented = true
    },
  }
}

describe('installHardening', () => {
  const defaultSession = new FakeSession()
  const extraSession = new FakeSession()

  beforeAll(async () => {
    fake.defaultSession = defaultSession
    installHardening({ isAppPage: isAppUrl, devCsp: null })
    await Promise.resolve()
    fake.app.emit('session-created', extraSession)
    fake.app.emit('session-created', defaultSession)
  })

  it('hardens the default session and every session created later, once each', () => {
    for (const ses of [defaultSession, extraSession]) {
      expect(Object.keys(ses.handlers).sort()).toEqual(['check', 'device', 'pairing', 'request'])
      for (const name of ['select-hid-device', 'select-serial-port', 'select-usb-device'])
        expect(ses.listenerCount(name), name).toBe(1)
    }
  })

  it('answers permission requests and checks from the allowlist, for the app page only', () => {
    const request = defaultSession.handlers['request'] as (...a: unknown[]) => void
    const answers: boolean[] = []
    const app = { requestingUrl: 'app://seedling/index.html', isMainFrame: true }
    request({}, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok), app)
    request({}, 'notifications', (ok: boolean) => answers.push(ok), app)
    request({}, 'media', (ok: boolean) => answers.push(ok), app)
    const evil = { requestingUrl: 'https://evil.example/', isMainFrame: true }
    request({}, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok), evil)
    expect(answers).toEqual([true, false, false, false])
    const check = defaultSession.handlers['check'] as (...a: unknown[]) => boolean
    expect(check(null, 'clipboard-sanitized-write', 'app://seedling', { isMainFrame: true })).toBe(
      true,
    )
    expect(check(null, 'hid', 'app://seedling', { isMainFrame: true })).toBe(false)
    expect(check(null, 'clipboard-sanitized-write', 'file://', { isMainFrame: true })).toBe(false)
  })

  it('denies every device and cancels every device chooser', () => {
    expect((defaultSession.handlers['device'] as () => boolean)()).toBe(false)
    const pairing: unknown[] = []
    ;(defaultSession.handlers['pairing'] as (...a: unknown[]) => void)({}, (r: unknown) =>
      pairing.push(r),
    )
    expect(pairing).toEqual([{ confirmed: false }])
    const calls: unknown[][] = []
    const hid = event()
    defaultSession.emit('select-hid-device', hid, {}, (...a: unknown[]) => calls.push(a))
    const serial = event()
    defaultSession.emit('select-serial-port', serial, [], {}, (...a: unknown[]) => calls.push(a))
    const usb = event()
    defaultSession.emit('select-usb-device', usb, {}, (...a: unknown[]) => calls.push(a))
    expect([hid, serial, usb].every((e) => e.prevented)).toBe(true)
    expect(calls).toEqual([[], [''], []])
  })

  it('keeps every web contents on the app origin and refuses webviews and Bluetooth', () => {
    const contents = new FakeContents('app://seedling/index.html')
    fake.app.emit('web-contents-created', event(), contents)
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = event('https://evil.example/')
      contents.emit(name, away)
      expect(away.prevented, name).toBe(true)
      const file = event('file:///etc/passwd')
      contents.emit(name, file)
      expect(file.prevented, name).toBe(true)
      const home = event('app://seedling/index.html')
      contents.emit(name, home)
      expect(home.prevented, name).toBe(false)
    }
    const webview = event()
    contents.emit('will-attach-webview', webview, {}, {})
    expect(webview.prevented).toBe(true)
    const bt = event()
    const picked: string[] = []
    contents.emit('select-bluetooth-device', bt, [{ deviceId: 'x' }], (id: string) =>
      picked.push(id),
    )
    expect(bt.prevented).toBe(true)
    expect(picked).toEqual([''])
  })

  it('denies every new window; an https link from the app goes to the browser', () => {
    fake.openExternal.length = 0
    const appPage = new FakeContents('app://seedling/index.html')
    const other = new FakeContents('https://evil.example/')
    fake.app.emit('web-contents-created', event(), appPage)
    fake.app.emit('web-contents-created', event(), other)
    expect(appPage.openHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' })
    expect(appPage.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(other.openHandler?.({ url: 'https://example.org/x' })).toEqual({ action: 'deny' })
    expect(fake.openExternal).toEqual(['https://example.org/'])
  })
})

describe('the dev CSP header', () => {
  it("is added to the dev server's pages only", async () => {
    const ses = new FakeSession()
    fake.defaultSession = ses
    const isDev = (url: string): boolean => url.startsWith('http://localhost:5173/')
    installHardening({ isAppPage: isDev, devCsp: "default-src 'none'" })
    await Promise.resolve()
    const answer = (url: string, resourceType: string): unknown => {
      let out: unknown
      const h = ses.headers as (d: unknown, cb: (r: unknown) => void) => void
      h({ url, resourceType, responseHeaders: { A: ['1'] } }, (r) => (out = r))
      return out
    }
    expect(answer('http://localhost:5173/', 'mainFrame')).toEqual({
      responseHeaders: { A: ['1'], 'Content-Security-Policy': ["default-src 'none'"] },
    })
    expect(answer('http://localhost:5173/x.js', 'script')).toEqual({
      responseHeaders: { A: ['1'] },
    })
    expect(answer('https://evil.example/', 'mainFrame')).toEqual({ responseHeaders: { A: ['1'] } })
  })
})
