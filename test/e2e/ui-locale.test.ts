/**
 * The UI's language (issue 10 part 3): switching to German in Settings turns the toolbar and the
 * list's headers German at once and writes sizes the German way (the General tab's exact size too),
 * under the served page's CSP (vue-i18n must not need eval); switching back restores English. With
 * SEEDLING_UPDATE_SCREENSHOTS=1 it also takes the README's German picture of the main window.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipWithoutTools } from '../support/external-tools'
import type { ServeSession } from './harness'
import { CHROMIUM, REPO, startServeSession } from './harness'

let e2e: ServeSession
let page: Page
const cspViolations: string[] = []

beforeAll(async () => {
  e2e = await startServeSession('locale', {
    name: 'Seedling locale fixture',
    // 20,000 bytes is 19.53 KiB: shown as "19.5 KiB" in English and "19,5 KiB" in German.
    files: [{ path: 'one.bin', size: 20_000 }],
    pieceLength: 16_384,
  })
  const context = await e2e.browser.newContext()
  page = await context.newPage()
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text())
  })
  await page.goto(e2e.serve.loginUrl)
  await page.getByTestId('add-torrent-input').waitFor({ state: 'attached', timeout: 20_000 })
}, 180_000)

afterAll(async () => {
  await e2e?.close()
})

async function chooseLanguage(value: string): Promise<void> {
  await page.getByTestId('settings-button').click()
  await page.getByTestId('settings-language').selectOption(value)
  await page.keyboard.press('Escape')
  await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 5_000 })
}

describe.skipIf(skipWithoutTools('e2e', [CHROMIUM]))('the UI language', () => {
  it('switches to German and back from Settings, sizes included', async () => {
    await page.getByTestId('add-torrent-input').setInputFiles(e2e.fixture.torrentPath)
    // Its data is there, so it seeds: the screenshot below shows a complete torrent.
    await page.getByTestId('add-download-dir').fill(e2e.fixture.dataDir)
    await page.getByTestId('add-confirm').click()
    const size = page.getByTestId('torrent-size').first()
    await size.waitFor({ state: 'visible', timeout: 15_000 })
    expect((await size.innerText()).trim()).toBe('19.5 KiB')
    expect((await page.getByTestId('sort-length').innerText()).trim()).toBe('Size')

    await chooseLanguage('de')
    expect((await page.getByTestId('sort-length').innerText()).trim()).toBe('Größe')
    expect((await page.getByTestId('sort-progress').innerText()).trim()).toBe('Fortschritt')
    expect((await size.innerText()).trim()).toBe('19,5 KiB')
    expect((await page.getByTestId('tab-general').innerText()).trim()).toBe('Allgemein')
    expect((await page.getByTestId('open-torrent').innerText()).trim()).toBe('Öffnen')
    expect((await page.getByTestId('settings-button').innerText()).trim()).toBe('Einstellungen')
    expect(await page.getByTestId('filter-text').getAttribute('placeholder')).toBe(
      'Nach Name filtern',
    )
    expect(await page.locator('html').getAttribute('lang')).toBe('de')
    // The General tab's exact size: the locale's numbers and its word for bytes.
    await page.getByTestId('torrent-row').first().click()
    await page.getByTestId('tab-general').click()
    const exact = page.getByTestId('general-size')
    await exact.waitFor({ state: 'visible', timeout: 10_000 })
    expect((await exact.innerText()).trim()).toBe('19,5 KiB (20.000 Bytes)')

    // Remembered: a reload keeps German.
    await page.reload()
    await page.getByTestId('sort-length').waitFor({ state: 'visible', timeout: 20_000 })
    expect((await page.getByTestId('sort-length').innerText()).trim()).toBe('Größe')

    await chooseLanguage('en')
    expect((await page.getByTestId('sort-length').innerText()).trim()).toBe('Size')
    expect((await page.getByTestId('torrent-size').first().innerText()).trim()).toBe('19.5 KiB')
    expect(cspViolations).toEqual([])
  })

  // Refreshed on request, as accessibility.test.ts does for the light and dark pictures.
  it.runIf(process.env['SEEDLING_UPDATE_SCREENSHOTS'] === '1')(
    'takes the German main window screenshot',
    async () => {
      await chooseLanguage('de')
      try {
        const row = page.getByTestId('torrent-row').first()
        await expect
          .poll(async () => (await row.getByTestId('torrent-status').innerText()).trim(), {
            timeout: 30_000,
          })
          .toBe('Verteilt')
        await row.click()
        await page.getByTestId('tab-general').click()
        await page.getByTestId('general-size').waitFor({ state: 'visible', timeout: 10_000 })
        await page.screenshot({ path: path.join(REPO, 'docs', 'screenshots', 'main-de.png') })
      } finally {
        await chooseLanguage('en')
      }
    },
  )
})
