/**
 * Connection state in the browser: once `seedling serve` goes away the page says so ("Disconnected —
 * reconnecting…" in a role=status region), greys out the last-known data and refuses actions, instead of
 * showing stale speeds as live and queueing clicks to run later.
 *
 * Not covered here: coming back. The harness starts serve on a fresh port with a fresh token and state
 * dir and deletes that dir on stop(), and the page's session cookie belongs to the old process, so a
 * second serve cannot stand in for the first; the recovery path (re-fetch on reconnect) is covered by the
 * jsdom test in src/renderer/src/stores/connection.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipWithoutTools } from '../support/external-tools'
import type { TorrentFixture } from '../support/torrent-builder'
import type { RemoteClient } from '../../src/shared/remote-client'
import type { BrowserSession, ServeProcess, ServeSession } from './harness'
import { CHROMIUM, screenshot, startServeSession } from './harness'

const NAME = 'Seedling connection-state fixture'

let e2e: ServeSession
let serve: ServeProcess
let session: BrowserSession
let api: RemoteClient
let fixture: TorrentFixture

beforeAll(async () => {
  e2e = await startServeSession('conn', {
    name: NAME,
    files: [{ path: 'one.bin', size: 40_000 }],
    pieceLength: 16_384,
  })
  serve = e2e.serve
  api = e2e.api
  fixture = e2e.fixture
  session = e2e.browser
}, 180_000)

afterAll(async () => {
  await e2e?.close()
})

describe.skipIf(skipWithoutTools('e2e', [CHROMIUM]))('connection state', () => {
  it('shows the disconnected state and refuses actions once the server is gone', async () => {
    const context = await session.newContext()
    const page = await context.newPage()
    await page.goto(serve.loginUrl)
    await api.addTorrent({
      source: { kind: 'file', data: Buffer.from(fixture.torrentBuffer).toString('base64') },
      downloadDir: fixture.dataDir,
    })
    const row = page.getByTestId('torrent-row').first()
    await row.waitFor({ state: 'visible', timeout: 20_000 })
    await row.click()
    const resume = page.getByTestId('resume-button')
    // The torrent is running (its data is there): Pause applies to it, Resume does not.
    const pause = page.getByTestId('pause-button')
    await expect.poll(() => pause.isEnabled(), { timeout: 10_000 }).toBe(true)
    expect(await page.getByTestId('connection-banner').count()).toBe(0)

    api.close()
    await serve.stop()

    const banner = page.getByTestId('connection-banner')
    await banner.waitFor({ state: 'visible', timeout: 15_000 })
    expect(await banner.innerText()).toBe('Disconnected — reconnecting…')
    expect(await page.getByTestId('connection-status').getAttribute('role')).toBe('status')
    expect(await resume.isDisabled()).toBe(true)
    expect(await pause.isDisabled()).toBe(true)
    expect(await page.getByTestId('status-offline').innerText()).toBe('Disconnected')
    // The list stays (last known) but is greyed out, not presented as live.
    expect(await page.locator('main.main').getAttribute('class')).toContain('stale')
    // The keyboard path is refused visibly too: Space toggles pause on the selected row.
    await row.focus()
    await page.keyboard.press('Space')
    await page
      .getByText(/not sent: not connected/)
      .first()
      .waitFor({ state: 'visible', timeout: 5_000 })
    await screenshot(page, 'connection-disconnected')
  }, 60_000)
})
