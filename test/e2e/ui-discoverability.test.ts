/**
 * Discoverability and density in Chromium against `seedling serve` (issue 10 part 3): toolbar icons with
 * tooltips and shortcut hints, actions enabled by state, Enter and Shift+F10 from the list, the sidebar's
 * status and tracker filters with counts, the theme switch, the tab title with speeds, the favicon, and
 * toasts that never cover a dialog's buttons. One page; the tests run in order. Loopback only: the one
 * tracker URL (127.0.0.1, the discard port) refuses every announce.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipWithoutTools } from '../support/external-tools'
import { makeTorrentFixture } from '../support/torrent-builder'
import type { TorrentFixture } from '../support/torrent-builder'
import type { ServeSession } from './harness'
import { CHROMIUM, screenshot, startServeSession, watchPageErrors } from './harness'

const TRACKED = 'Seedling ui fixture with a tracker'
const TRACKERLESS = 'Seedling ui fixture without trackers'
const TRACKER_HOST = '127.0.0.1'

let e2e: ServeSession
let page: Page
let pageErrors: string[]
let trackerless: TorrentFixture
let queued: TorrentFixture[]

const file = (fixture: TorrentFixture): string =>
  Buffer.from(fixture.torrentBuffer).toString('base64')
const rowNamed = (name: string) =>
  page
    .getByTestId('torrent-row')
    .filter({ has: page.getByTestId('torrent-name').getByText(name, { exact: true }) })
/** The count shown on a sidebar facet (its last number). */
async function facetCount(testid: string, nth = 0): Promise<number> {
  const text = await page.getByTestId(testid).nth(nth).innerText()
  return Number(/(\d+)\s*$/.exec(text)?.[1])
}
const overlaps = (
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

beforeAll(async () => {
  e2e = await startServeSession('ui', {
    name: TRACKED,
    files: [{ path: 'one.bin', size: 40_000 }],
    pieceLength: 16_384,
    trackers: [`http://${TRACKER_HOST}:9/announce`],
  })
  const extra = (name: string, sub: string): Promise<TorrentFixture> =>
    makeTorrentFixture({
      dir: path.join(e2e.workDir, sub),
      name,
      // Enough files that the add dialog reaches its full height in the small window below.
      files: Array.from({ length: 12 }, (_, i) => ({ path: `part ${i}.bin`, size: 2_000 })),
      pieceLength: 16_384,
    })
  trackerless = await extra(TRACKERLESS, 'b')
  queued = [await extra('Queued one', 'c'), await extra('Queued two', 'd')]
  const context = await e2e.browser.newContext()
  page = await context.newPage()
  pageErrors = watchPageErrors(page)
  await page.goto(e2e.serve.loginUrl)
  for (const f of [e2e.fixture, trackerless]) {
    await e2e.api.addTorrent({
      source: { kind: 'file', data: file(f) },
      downloadDir: f.dataDir,
    })
  }
  await rowNamed(TRACKED).waitFor({ state: 'visible', timeout: 20_000 })
  await rowNamed(TRACKERLESS).waitFor({ state: 'visible', timeout: 20_000 })
}, 180_000)

afterAll(async () => {
  await e2e?.close()
})

describe.skipIf(skipWithoutTools('e2e', [CHROMIUM]))('discoverability and density', () => {
  it('toolbar buttons have an icon, a tooltip, and their shortcut in it', async () => {
    for (const id of [
      'open-torrent',
      'add-magnet',
      'create-torrent',
      'resume-button',
      'pause-button',
      'remove-button',
      'recheck-button',
      'copy-magnet-button',
      'settings-button',
    ]) {
      const button = page.getByTestId(id)
      expect(await button.locator('svg').count(), id).toBe(1)
      expect((await button.getAttribute('title'))?.length, id).toBeGreaterThan(3)
    }
    expect(await page.getByTestId('open-torrent').getAttribute('title')).toContain('(Ctrl+O)')
    expect(await page.getByTestId('open-torrent').getAttribute('aria-keyshortcuts')).toBe(
      'Control+O',
    )
    expect(await page.getByTestId('add-magnet').getAttribute('title')).toContain('(Ctrl+U)')
    expect(await page.getByTestId('pause-button').getAttribute('title')).toContain('(Space)')
    expect(await page.getByTestId('remove-button').getAttribute('title')).toContain('(Delete)')

    // role=toolbar's keys: the arrows move between the enabled controls, Home and End to the ends.
    const focused = (): Promise<string | null> => page.locator(':focus').getAttribute('data-testid')
    await page.getByTestId('open-torrent').focus()
    await page.keyboard.press('ArrowRight')
    expect(await focused()).toBe('add-magnet')
    await page.keyboard.press('End')
    expect(await focused()).toBe('settings-button')
    await page.keyboard.press('ArrowRight')
    expect(await focused()).toBe('open-torrent')
    await page.keyboard.press('ArrowLeft')
    expect(await focused()).toBe('settings-button')
    await page.keyboard.press('Home')
    expect(await focused()).toBe('open-torrent')
  })

  it('enables Pause only when something can pause, Resume only when something can resume', async () => {
    const row = rowNamed(TRACKED)
    await row.click()
    const pause = page.getByTestId('pause-button')
    const resume = page.getByTestId('resume-button')
    await expect.poll(() => pause.isEnabled(), { timeout: 10_000 }).toBe(true)
    expect(await resume.isDisabled()).toBe(true)
    await pause.click()
    await expect.poll(() => resume.isEnabled(), { timeout: 10_000 }).toBe(true)
    expect(await pause.isDisabled()).toBe(true)
    await row.click({ button: 'right' })
    expect(await page.getByTestId('menu-pause').isDisabled()).toBe(true)
    expect(await page.getByTestId('menu-resume').isEnabled()).toBe(true)
    await page.getByTestId('menu-resume').click()
    await expect.poll(() => pause.isEnabled(), { timeout: 10_000 }).toBe(true)
    expect(await resume.isDisabled()).toBe(true)
  })

  it('Enter moves to the details; Shift+F10 opens the context menu', async () => {
    await rowNamed(TRACKED).click()
    await page.keyboard.press('Enter')
    const focused = page.locator(':focus')
    expect(await focused.getAttribute('role')).toBe('tab')
    expect(await focused.getAttribute('aria-selected')).toBe('true')

    await rowNamed(TRACKED).click()
    await page.keyboard.press('Shift+F10')
    await page.getByRole('menu').waitFor({ state: 'visible', timeout: 5_000 })
    expect(await page.locator(':focus').getAttribute('role')).toBe('menuitem')
    await page.keyboard.press('Escape')
    await page.getByRole('menu').waitFor({ state: 'detached', timeout: 5_000 })
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('torrent-list')
  })

  it('the sidebar filters by status and by tracker, with counts, and collapses', async () => {
    expect(await facetCount('filter-all')).toBe(2)
    expect(await facetCount('tracker-all')).toBe(2)
    expect(await facetCount('tracker-none')).toBe(1)
    const host = page.getByTestId('tracker-host')
    expect(await host.count()).toBe(1)
    expect(await host.innerText()).toContain(TRACKER_HOST)
    expect(await facetCount('tracker-host')).toBe(1)

    await host.click()
    expect(await host.getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => page.getByTestId('torrent-row').count()).toBe(1)
    expect(await rowNamed(TRACKED).count()).toBe(1)
    await page.getByTestId('tracker-none').click()
    await expect.poll(() => rowNamed(TRACKERLESS).count()).toBe(1)
    expect(await page.getByTestId('torrent-row').count()).toBe(1)
    await page.getByTestId('tracker-all').click()
    await expect.poll(() => page.getByTestId('torrent-row').count()).toBe(2)

    await page.getByTestId('filter-paused').click()
    await page.getByTestId('list-empty').waitFor({ state: 'visible', timeout: 5_000 })
    await page.getByTestId('filter-all').click()
    await expect.poll(() => page.getByTestId('torrent-row').count()).toBe(2)

    const toggle = page.getByTestId('sidebar-toggle')
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await page.getByTestId('tracker-facets').isVisible()).toBe(false)
    await toggle.click()
    expect(await page.getByTestId('tracker-facets').isVisible()).toBe(true)
  })

  it('the theme switch overrides the OS and is kept over a reload', async () => {
    await page.emulateMedia({ colorScheme: 'light' })
    const body = (): Promise<unknown> =>
      page.evaluate('getComputedStyle(document.body).backgroundColor')
    expect(await body()).toBe('rgb(255, 255, 255)')
    await page.getByTestId('theme-select').selectOption('dark')
    expect(await body()).toBe('rgb(27, 29, 33)')
    await page.reload()
    await page.getByTestId('theme-select').waitFor({ state: 'visible', timeout: 20_000 })
    expect(await page.getByTestId('theme-select').inputValue()).toBe('dark')
    expect(await body()).toBe('rgb(27, 29, 33)')
    await screenshot(page, 'ui-dark')
    await page.getByTestId('theme-select').selectOption('system')
    expect(await body()).toBe('rgb(255, 255, 255)')
  })

  it('the tab title leads with the total speeds, and the page has a favicon', async () => {
    await expect
      .poll(() => page.title(), { timeout: 10_000 })
      .toMatch(/^↓ \d[\d.]* [KMG]?i?B\/s ↑ \d[\d.]* [KMG]?i?B\/s – Seedling$/)
    const href = await page.locator('link[rel="icon"]').getAttribute('href')
    expect(href).toBeTruthy()
    const icon = await page.request.get(new URL(href!, page.url()).href)
    expect(icon.status()).toBe(200)
    expect(icon.headers()['content-type']).toBe('image/svg+xml')
  })

  it('a toast never covers the buttons of the dialog that is open', async () => {
    await page.setViewportSize({ width: 900, height: 460 })
    try {
      await page.getByTestId('add-torrent-input').setInputFiles(queued.map((q) => q.torrentPath))
      await page.getByTestId('add-name').getByText('Queued one').waitFor({ timeout: 15_000 })
      await page.getByTestId('add-download-dir').fill(queued[0]!.dataDir)
      await page.getByTestId('add-confirm').click()
      // The first add's toast appears while the second source's dialog is open.
      const toast = page.getByTestId('toast').filter({ hasText: 'Added Queued one' })
      await toast.waitFor({ state: 'visible', timeout: 15_000 })
      await page.getByTestId('add-name').getByText('Queued two').waitFor({ timeout: 15_000 })
      await screenshot(page, 'ui-toast-over-dialog')
      const toastBox = (await toast.boundingBox())!
      for (const id of ['add-confirm', 'add-cancel']) {
        const box = (await page.getByTestId(id).boundingBox())!
        expect(overlaps(toastBox, box), `${id} ${JSON.stringify({ toastBox, box })}`).toBe(false)
      }
      await page.getByTestId('add-cancel').click()
      await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 5_000 })
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 })
    }
    expect(pageErrors).toEqual([])
  })
})
