/**
 * axe-core (WCAG 2 A and AA rules) on the real renderer in Chromium: the main view with a torrent selected
 * and each details tab, the context menu and every dialog, in the light and the dark theme. Serious and
 * critical violations fail the test and are listed with their selectors; lesser ones are not asserted.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipWithoutTools } from '../support/external-tools'
import { seriousViolations } from './axe'
import type { ServeSession } from './harness'
import { CHROMIUM, REPO, screenshot, startServeSession } from './harness'

const NAME = 'Seedling accessibility fixture'

let e2e: ServeSession
let page: Page

beforeAll(async () => {
  e2e = await startServeSession('a11y', {
    name: NAME,
    files: [
      { path: 'readme.txt', size: 2_000 },
      { path: 'data/one.bin', size: 40_000 },
      { path: 'data/two.bin', size: 30_000 },
    ],
    pieceLength: 16_384,
  })
  const context = await e2e.browser.newContext()
  page = await context.newPage()
  await page.goto(e2e.serve.loginUrl)
  await e2e.api.addTorrent({
    source: { kind: 'file', data: Buffer.from(e2e.fixture.torrentBuffer).toString('base64') },
    downloadDir: e2e.fixture.dataDir,
  })
  const row = page.getByTestId('torrent-row').first()
  await row.waitFor({ state: 'visible', timeout: 20_000 })
  await row.click()
}, 180_000)

afterAll(async () => {
  await e2e?.close()
})

async function expectClean(where: string): Promise<void> {
  const found = await seriousViolations(page)
  expect(found, `${where}:\n${JSON.stringify(found, null, 2)}`).toEqual([])
}

async function closeDialog(): Promise<void> {
  if (!(await page.getByRole('dialog').count())) return
  await page.getByRole('dialog').press('Escape')
  await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 5_000 })
}

describe.skipIf(skipWithoutTools('e2e', [CHROMIUM]))('accessibility (axe-core)', () => {
  for (const theme of ['light', 'dark'] as const) {
    describe(`${theme} theme`, () => {
      beforeAll(async () => {
        // The OS says the other theme: what is checked is the in-app switch's choice.
        await page.emulateMedia({ colorScheme: theme === 'dark' ? 'light' : 'dark' })
        await page.getByTestId('theme-select').selectOption(theme)
        // A string: the Node-side tsconfig has no DOM lib.
        const background = await page.evaluate('getComputedStyle(document.body).backgroundColor')
        expect(background).toBe(theme === 'dark' ? 'rgb(27, 29, 33)' : 'rgb(255, 255, 255)')
      })

      it('main view and each details tab', async () => {
        for (const tab of ['General', 'Files', 'Peers', 'Trackers', 'Pieces']) {
          await page.getByRole('tab', { name: tab, exact: true }).click()
          await expectClean(`main view, ${tab} tab`)
        }
        await screenshot(page, `a11y-main-${theme}`)
        // The README's pictures of the main window, refreshed on request rather than on every run.
        if (process.env['SEEDLING_UPDATE_SCREENSHOTS'] === '1') {
          await page.getByRole('tab', { name: 'General', exact: true }).click()
          await page.getByText('Loading…').waitFor({ state: 'detached', timeout: 10_000 })
          await page.screenshot({
            path: path.join(REPO, 'docs', 'screenshots', `main-${theme}.png`),
          })
        }
      })

      it('context menu', async () => {
        await page.getByTestId('torrent-row').first().click({ button: 'right' })
        await page.getByRole('menu').waitFor({ state: 'visible' })
        await expectClean('context menu')
        await page.keyboard.press('Escape')
        await page.getByRole('menu').waitFor({ state: 'detached', timeout: 5_000 })
      })

      it('category and tags dialog, from the context menu', async () => {
        await page.getByTestId('torrent-row').first().click({ button: 'right' })
        await page.getByTestId('menu-labels').click()
        await page.getByTestId('labels-dialog').waitFor({ state: 'visible', timeout: 5_000 })
        try {
          await expectClean('category and tags dialog')
        } finally {
          await closeDialog()
        }
      })

      it('add dialog with its file tree', async () => {
        await page.getByTestId('add-torrent-input').setInputFiles(e2e.fixture.torrentPath)
        await page.getByTestId('file-tree').waitFor({ state: 'visible', timeout: 15_000 })
        try {
          await expectClean('add dialog')
        } finally {
          await closeDialog()
        }
      })

      it('magnet, create, settings and remove dialogs', async () => {
        const dialogs: [string, string][] = [
          ['add-magnet', 'magnet dialog'],
          ['create-torrent', 'create dialog'],
          ['settings-button', 'settings dialog'],
          ['remove-button', 'remove dialog'],
        ]
        for (const [button, where] of dialogs) {
          await page.getByTestId(button).click()
          await page.getByRole('dialog').waitFor({ state: 'visible' })
          if (button === 'settings-button') {
            await page.getByTestId('settings-download-dir').waitFor({ state: 'visible' })
          }
          try {
            await expectClean(where)
          } finally {
            await closeDialog()
          }
        }
      })
    })
  }
})
