/**
 * Add from URL in the browser (issue 10 part 3). `seedling serve` fetches only from public addresses, so
 * a token holder cannot make it reach into the loopback or private network (docs/threat-model.md); here,
 * with loopback the only network, that refusal is what the page shows, naming the address, and nothing
 * is fetched or added. Fetching itself (redirects, size cap, deadline) is tested in
 * src/main/engine/url-fetch.test.ts.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipWithoutTools } from '../support/external-tools'
import type { ServeSession } from './harness'
import { CHROMIUM, screenshot, startServeSession } from './harness'

let e2e: ServeSession
let page: Page
let server: http.Server
let url: string
let requests = 0

beforeAll(async () => {
  e2e = await startServeSession('url', {
    name: 'Seedling add-from-URL fixture',
    files: [{ path: 'one.bin', size: 10_000 }],
    pieceLength: 16_384,
  })
  server = http.createServer((_req, res) => {
    requests++
    res.end(Buffer.from(e2e.fixture.torrentBuffer))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fixture.torrent`
  const context = await e2e.browser.newContext()
  page = await context.newPage()
  await page.goto(e2e.serve.loginUrl)
  await page.getByTestId('add-magnet').waitFor({ state: 'visible', timeout: 20_000 })
}, 180_000)

afterAll(async () => {
  server?.closeAllConnections()
  await new Promise((r) => server?.close(r))
  await e2e?.close()
})

describe.skipIf(skipWithoutTools('e2e', [CHROMIUM]))('add from URL', () => {
  it('serve refuses a URL on a non-public address, saying which, and adds nothing', async () => {
    await page.getByTestId('add-magnet').click()
    await page.getByTestId('magnet-input').fill(url)
    await page.getByTestId('magnet-confirm').click()
    const error = page.getByTestId('magnet-error')
    await error.waitFor({ state: 'visible', timeout: 15_000 })
    expect(await error.innerText()).toMatch(/127\.0\.0\.1 is not a public address/)
    await screenshot(page, 'url-refused')
    expect(requests).toBe(0)
    await page.getByRole('dialog').press('Escape')
    expect(await e2e.api.listTorrents()).toEqual([])
  })

  it('says what it accepts when the text is neither a link, a hash nor an http(s) URL', async () => {
    await page.getByTestId('add-magnet').click()
    await page.getByTestId('magnet-input').fill('ftp://127.0.0.1/x.torrent')
    await page.getByTestId('magnet-confirm').click()
    const error = page.getByTestId('magnet-error')
    await error.waitFor({ state: 'visible', timeout: 5_000 })
    expect(await error.innerText()).toMatch(/http\(s\) URL of a \.torrent/)
    await page.getByRole('dialog').press('Escape')
  })
})
