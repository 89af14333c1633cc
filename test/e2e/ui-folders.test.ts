/**
 * Download folders that cannot work are refused before anything changes, in plain words that name them
 * (issue 10 part 3): adding into a folder that is a file leaves no torrent behind, and Settings refuses a
 * relative folder and a file in place of one, keeping the saved folder.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipWithoutTools } from '../support/external-tools'
import type { ServeSession } from './harness'
import { CHROMIUM, screenshot, startServeSession } from './harness'

let e2e: ServeSession
let page: Page
let aFile: string

beforeAll(async () => {
  e2e = await startServeSession('folders', {
    name: 'Seedling folders fixture',
    files: [{ path: 'one.bin', size: 20_000 }],
    pieceLength: 16_384,
  })
  aFile = path.join(e2e.workDir, 'not-a-folder.txt')
  await writeFile(aFile, 'a file where a folder should be\n')
  const context = await e2e.browser.newContext()
  page = await context.newPage()
  await page.goto(e2e.serve.loginUrl)
  await page.getByTestId('add-torrent-input').waitFor({ state: 'attached', timeout: 20_000 })
}, 180_000)

afterAll(async () => {
  await e2e?.close()
})

describe.skipIf(skipWithoutTools('e2e', [CHROMIUM]))('download folders', () => {
  it('adding into a file instead of a folder says so and adds nothing', async () => {
    await page.getByTestId('add-torrent-input').setInputFiles(e2e.fixture.torrentPath)
    await page.getByTestId('add-name').waitFor({ state: 'visible', timeout: 15_000 })
    await page.getByTestId('add-download-dir').fill(aFile)
    await page.getByTestId('add-confirm').click()
    const error = page.getByTestId('add-error')
    await error.waitFor({ state: 'visible', timeout: 10_000 })
    const message = await error.innerText()
    expect(message).toContain(aFile)
    expect(message).toMatch(/is a file, not a folder/)
    expect(message).not.toMatch(/internal error|EEXIST|ENOTDIR/)
    await screenshot(page, 'folders-add-into-file')
    await page.getByTestId('add-cancel').click()
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 5_000 })
    // Time for a half-added torrent to show; there must be none, in the page or the engine.
    await page.waitForTimeout(1_000)
    expect(await page.getByTestId('torrent-row').count()).toBe(0)
    expect(await e2e.api.listTorrents()).toEqual([])
  })

  it('settings refuse a relative folder and a file, naming them, and keep the saved folder', async () => {
    const saved = (await e2e.api.getSettings()).downloadDir
    await page.getByTestId('settings-button').click()
    const dir = page.getByTestId('settings-download-dir')
    await dir.waitFor({ state: 'visible', timeout: 10_000 })
    const error = page.getByTestId('settings-error')
    for (const [value, expected] of [
      ['downloads', /absolute/],
      [aFile, /is a file, not a folder/],
    ] as const) {
      await dir.fill(value)
      await page.getByTestId('settings-save').click()
      await error.waitFor({ state: 'visible', timeout: 10_000 })
      const message = await error.innerText()
      expect(message).toContain(value)
      expect(message).toMatch(expected)
      expect(await page.getByRole('dialog').count()).toBe(1)
      expect((await e2e.api.getSettings()).downloadDir).toBe(saved)
    }
    await screenshot(page, 'folders-settings-file')
    await page.getByRole('dialog').press('Escape')
  })
})
