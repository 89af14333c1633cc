/**
 * `webContents` and its main frame over one Playwright page. The preload named in webPreferences runs in
 * the page before its scripts (preload-shim.ts); `send` reaches the preload's `ipcRenderer.on`
 * listeners. URLs are reported as the app sees them (toAppUrl).
 */
import { EventEmitter } from 'node:events'
import type { Page } from 'playwright-core'
import { browserContext, fromAppUrl, toAppUrl } from './chromium'
import { installPreload } from './preload-shim'
import { record } from './record'
import type { StandIn } from './record'

type WindowOpenHandler = Parameters<Electron.WebContents['setWindowOpenHandler']>[0]

let nextId = 1

export class StandInFrame implements Partial<Electron.WebFrameMain> {
  constructor(private readonly currentUrl: () => string) {}

  get url(): string {
    return this.currentUrl()
  }
}

export class StandInWebContents
  extends EventEmitter
  implements StandIn<Electron.WebContents, 'mainFrame'>
{
  readonly id = nextId++
  readonly page: Promise<Page>
  readonly mainFrame: StandInFrame
  windowOpenHandler: WindowOpenHandler | null = null
  private destroyed = false
  private pageUrl = ''

  constructor(preload: string | undefined) {
    super()
    this.mainFrame = new StandInFrame(() => this.getURL())
    this.page = browserContext().then(async (ctx) => {
      const page = await ctx.newPage()
      if (preload) await installPreload(page, preload, this)
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) this.pageUrl = frame.url()
      })
      return page
    })
  }

  getURL(): string {
    return toAppUrl(this.pageUrl)
  }

  async loadURL(url: string): Promise<void> {
    record('webContents.loadURL', url)
    const page = await this.page
    this.emit('did-start-loading')
    await page.goto(fromAppUrl(url), { waitUntil: 'load' })
    this.emit('did-finish-load')
  }

  send(channel: string, ...args: unknown[]): void {
    // Like Electron, a message to a page without a listener (or mid-navigation) is dropped.
    void this.page.then((page) => page.evaluate(deliver, { channel, args })).catch(() => undefined)
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  async destroy(): Promise<void> {
    this.destroyed = true
    this.emit('destroyed')
    await (await this.page).close().catch(() => undefined)
  }
}

function deliver({ channel, args }: { channel: string; args: unknown[] }): void {
  const target = globalThis as unknown as {
    __standInDeliver?: (channel: string, args: unknown[]) => void
  }
  target.__standInDeliver?.(channel, args)
}
