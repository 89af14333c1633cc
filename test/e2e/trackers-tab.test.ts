/**
 * The Trackers tab in a browser over `seedling serve`: adding trackers (a textarea, a blank line between
 * tiers) lists them in their tiers, a bad address is refused in words before anything is sent, and
 * Remove takes one off; the same for its web seeds, listed with their state. Only loopback addresses
 * are named, and nothing listens at them.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipWithoutTools } from '../support/external-tools'
import type { TorrentFixture } from '../support/torrent-builder'
import type { RemoteClient } from '../../src/shared/remote-client'
import type { ServeProcess, ServeSession } from './harness'
import { CHROMIUM, screenshot, startServeSession, watchPageErrors } from './harness'

const FIRST = 'http://127.0.0.1:9/announce'
const SECOND = 'udp://[::1]:9'
const SEED_A = 'http://127.0.0.1:9/files/'
const SEED_B = 'https://127.0.0.1:9/mirror/one.bin'

let e2e: ServeSession
let serve: ServeProcess
let api: RemoteClient
let fixture: TorrentFixture
let page: Page
let pageErrors: string[]

beforeAll(async () => {
  e2e = await startServeSession('trackers', {
    files: [{ path: 'one.bin', size: 40_000 }],
    pieceLength: 16_384,
  })
  serve = e2e.serve
  api = e2e.api
  fixture = e2e.fixture
  const context = await e2e.browser.newContext()
  page = await context.newPage()
  pageErrors = watchPageErrors(page)
  expect((await page.goto(serve.loginUrl))?.status()).toBe(200)
}, 180_000)

afterAll(async () => {
  await e2e?.close()
})

/** The URL and tier cells of each tracker row. */
async function listed(): Promise<string[][]> {
  const rows = page.getByTestId('tracker-row')
  const out: string[][] = []
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = rows.nth(i).locator('td')
    out.push([(await cells.nth(0).innerText()).trim(), (await cells.nth(1).innerText()).trim()])
  }
  return out
}

describe.skipIf(skipWithoutTools('e2e', [CHROMIUM]))('the Trackers tab', () => {
  it('adds trackers in tiers, refuses a bad address in words, and removes one', async () => {
    await api.addTorrent({
      source: { kind: 'file', data: Buffer.from(fixture.torrentBuffer).toString('base64') },
      downloadDir: fixture.dataDir,
      paused: true,
    })
    const row = page.getByTestId('torrent-row').first()
    await row.waitFor({ state: 'visible', timeout: 20_000 })
    await row.click()
    const tab = page.getByRole('tab', { name: 'Trackers', exact: true })
    await tab.click()
    await page.getByText('This torrent has no trackers.').waitFor({ timeout: 10_000 })

    await page.getByTestId('tracker-add').click()
    const text = page.getByTestId('tracker-text')
    await text.fill('javascript:alert(1)')
    await page.getByTestId('tracker-save').click()
    await page.getByText(/is not a tracker address/).waitFor({ timeout: 5_000 })

    await text.fill(`${FIRST}\n\n${SECOND}\n`)
    await page.getByTestId('tracker-save').click()
    await expect.poll(listed, { timeout: 10_000 }).toEqual([
      [FIRST, '1'],
      [SECOND, '2'],
    ])
    expect(await page.getByTestId('tracker-editor').count()).toBe(0)
    const { trackers } = await api.getTorrent({ infoHash: fixture.infoHash })
    expect(trackers.map((t) => t.url)).toEqual([FIRST, SECOND])
    await screenshot(page, 'trackers-tab-added')

    await page.getByRole('button', { name: `Remove tracker ${FIRST}` }).click()
    // On a timeout, what the tab says (an error, a notice) is the clue; the engine's list too.
    const tabText = async (): Promise<string> =>
      `${await page.getByRole('tabpanel').innerText()}\nengine: ${JSON.stringify(
        (await api.getTorrent({ infoHash: fixture.infoHash })).trackers.map((t) => [t.url, t.tier]),
      )}`
    try {
      await expect.poll(listed, { timeout: 20_000 }).toEqual([[SECOND, '1']])
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${await tabText().catch(String)}`)
    }
    expect(pageErrors).toEqual([])
  }, 90_000)

  it('lists web seeds with their state, refuses a bad one in words, and removes one', async () => {
    await page.getByText('This torrent has no web seeds.').waitFor({ timeout: 10_000 })
    await page.getByTestId('webseed-edit').click()
    const text = page.getByTestId('webseed-text')
    await text.fill('ftp://127.0.0.1:9/files/')
    await page.getByTestId('webseed-save').click()
    await page.getByText(/is not a web seed address/).waitFor({ timeout: 5_000 })

    await text.fill(`${SEED_A}
${SEED_B}
`)
    await page.getByTestId('webseed-save').click()
    const rows = page.getByTestId('webseed-row')
    await expect.poll(() => rows.allInnerTexts(), { timeout: 10_000 }).toHaveLength(2)
    // Paused: nothing is asked of either seed yet.
    expect((await rows.first().innerText()).replace(/\s+/g, ' ')).toContain(`${SEED_A} Idle`)
    expect(
      (await api.getTorrent({ infoHash: fixture.infoHash })).webSeeds.map((w) => w.url),
    ).toEqual([SEED_A, SEED_B])

    await page.getByRole('button', { name: `Remove web seed ${SEED_A}` }).click()
    await expect
      .poll(async () => (await api.getTorrent({ infoHash: fixture.infoHash })).webSeeds.length, {
        timeout: 10_000,
      })
      .toBe(1)
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1)
    expect(await rows.first().innerText()).toContain(SEED_B)
    expect(pageErrors).toEqual([])
  }, 60_000)
})
