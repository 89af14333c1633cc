/**
 * `seedling serve` in Chromium: the token URL signs the browser in, the app connects over the WebSocket
 * and shows a torrent added through the API; without the token, or from another origin, nothing gets in.
 * Asserts only on stable things (title, connection, a torrent's name): the UI itself is still changing.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipWithoutTools } from '../support/external-tools'
import type { TorrentFixture } from '../support/torrent-builder'
import type { RemoteClient } from '../../src/shared/remote-client'
import type { BrowserSession, ServeProcess, ServeSession } from './harness'
import { CHROMIUM, screenshot, startServeSession, watchPageErrors } from './harness'

const NAME = 'Seedling e2e fixture & friends'

let serve: ServeProcess
let session: BrowserSession
let api: RemoteClient
let fixture: TorrentFixture
let e2e: ServeSession
let otherSite: http.Server | null = null

beforeAll(async () => {
  e2e = await startServeSession('fixture', {
    name: NAME,
    files: [
      { path: 'one.bin', size: 50_000 },
      { path: 'two.bin', size: 20_000 },
    ],
    pieceLength: 16_384,
  })
  serve = e2e.serve
  api = e2e.api
  fixture = e2e.fixture
  session = e2e.browser
})

afterAll(async () => {
  if (otherSite) await new Promise((r) => otherSite!.close(r))
  await e2e?.close()
})

describe.skipIf(skipWithoutTools('e2e', [CHROMIUM]))('seedling serve in a browser', () => {
  it('signs in through the token URL, connects, and shows a torrent added over the API', async () => {
    const context = await session.newContext()
    const page = await context.newPage()
    const errors = watchPageErrors(page)
    const response = await page.goto(serve.loginUrl)
    expect(response?.status()).toBe(200)
    // The token was traded for a cookie and is gone from the address bar.
    expect(page.url()).toBe(`${serve.origin}/`)
    const cookies = await context.cookies(serve.origin)
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict' })
    expect(cookies[0]!.value).not.toContain(serve.token)
    // The title ends in the app's name; once connected it leads with the total speeds.
    expect(await page.title()).toMatch(/Seedling$/)

    const { torrent } = await api.addTorrent({
      source: { kind: 'file', data: Buffer.from(fixture.torrentBuffer).toString('base64') },
      downloadDir: fixture.dataDir,
    })
    expect(torrent.name).toBe(NAME)
    await page.getByText(NAME).first().waitFor({ state: 'visible', timeout: 20_000 })
    const text = await page.locator('body').innerText()
    expect(text).not.toMatch(/Not connected/i)
    const shot = await screenshot(page, 'serve-app')
    expect(shot).toMatch(/serve-app\.png$/)
    expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([])
    expect(errors).toEqual([])
  })

  it('refuses the page without the token, or with a wrong one', async () => {
    const context = await session.newContext()
    const page = await context.newPage()
    const bare = await page.goto(`${serve.origin}/`)
    expect(bare?.status()).toBe(401)
    expect(await page.locator('body').innerText()).toMatch(/token is needed/)
    const wrong = await page.goto(`${serve.origin}/?token=not-the-token-at-all`)
    expect(wrong?.status()).toBe(401)
    const asset = await page.goto(`${serve.origin}/index.html`)
    expect(asset?.status()).toBe(401)
    expect(await context.cookies(serve.origin)).toEqual([])
    await screenshot(page, 'serve-no-token')
  })

  it('refuses the WebSocket from a page on another origin, even with the cookie', async () => {
    // Another site on 127.0.0.1 (another port): same-site, so the SameSite cookie is sent; Origin is not ours.
    otherSite = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' })
      res.end('<!doctype html><title>Other site</title><p>other site</p>')
    })
    await new Promise<void>((r) => otherSite!.listen(0, '127.0.0.1', r))
    const otherOrigin = `http://127.0.0.1:${(otherSite.address() as AddressInfo).port}`

    const context = await session.newContext()
    const page = await context.newPage()
    await page.goto(serve.loginUrl) // the victim is signed in
    const tryWs = (target: string): Promise<string> =>
      page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url)
            const timer = setTimeout(() => resolve('timeout'), 10_000)
            ws.onopen = () => {
              clearTimeout(timer)
              ws.close()
              resolve('open')
            }
            ws.onclose = (e) => {
              clearTimeout(timer)
              resolve(`closed ${e.code}`)
            }
          }),
        target,
      )
    const wsUrl = `ws://127.0.0.1:${serve.port}/api`
    expect(await tryWs(wsUrl)).toBe('open') // control: from the app's own origin it works

    await page.goto(otherOrigin)
    expect(await page.title()).toBe('Other site')
    expect(await tryWs(wsUrl)).toBe('closed 1006')
    // And the page on the other origin cannot read the app either (no CORS).
    const read = await page.evaluate(async (url) => {
      try {
        const res = await fetch(url, { credentials: 'include' })
        return `read ${res.status}`
      } catch {
        return 'blocked'
      }
    }, `${serve.origin}/`)
    expect(read).toBe('blocked')
  })
})
