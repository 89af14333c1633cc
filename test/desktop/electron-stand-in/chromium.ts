/**
 * The one headless Chromium behind every BrowserWindow (one context, like Electron's default session).
 *
 * Chromium cannot load a scheme it does not know, so the page lives at STAND_IN_ORIGIN and every request
 * to it is answered by the handler the app gave `protocol.handle('app', …)`, with the URL rewritten to
 * app://seedling/…; nothing else is fetched (any other request is aborted: loopback-only rule). The
 * page's URL is reported back to the app as app://seedling/… (toAppUrl), so the IPC sender check and the
 * navigation guards see the app's own origin, and anything else as it is.
 */
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS } from '../../e2e/harness'
import { APP_ORIGIN } from '../../../src/main/desktop/app-protocol'
import { protocolHandler } from './protocol'

/** `.localhost` is a secure context in Chromium, as the app's scheme is (`secure: true`). */
export const STAND_IN_ORIGIN = 'http://seedling.localhost'

export function toAppUrl(url: string): string {
  return url.startsWith(`${STAND_IN_ORIGIN}/`)
    ? APP_ORIGIN + url.slice(STAND_IN_ORIGIN.length)
    : url
}

export function fromAppUrl(url: string): string {
  return url.startsWith(`${APP_ORIGIN}/`) ? STAND_IN_ORIGIN + url.slice(APP_ORIGIN.length) : url
}

let browser: Promise<Browser> | null = null
let context: Promise<BrowserContext> | null = null

async function newContext(): Promise<BrowserContext> {
  browser ??= chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 })
  const ctx = await (await browser).newContext({ viewport: { width: 1280, height: 800 } })
  ctx.setDefaultTimeout(15_000)
  await ctx.route('**/*', async (route) => {
    const request = route.request()
    const handler = protocolHandler('app')
    if (!handler || !request.url().startsWith(`${STAND_IN_ORIGIN}/`)) return route.abort()
    const response = await handler(
      new Request(toAppUrl(request.url()), { method: request.method() }),
    )
    await route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
    })
  })
  return ctx
}

export function browserContext(): Promise<BrowserContext> {
  context ??= newContext()
  return context
}

export async function closeBrowser(): Promise<void> {
  if (!browser) return
  await (await browser).close().catch(() => undefined)
  browser = null
  context = null
}
