/**
 * Creating a torrent in the browser (issue 10 part 3): the .torrent can be written to a chosen path and
 * downloaded from the page (the engine's path is on another machine for a browser), and seeding it is a
 * choice: off, nothing is added; on, the new torrent is listed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipWithoutTools } from '../support/external-tools'
import type { ServeSession } from './harness'
import { CHROMIUM, screenshot, startServeSession } from './harness'

let e2e: ServeSession
let page: Page
let source: string

beforeAll(async () => {
  e2e = await startServeSession('create', {
    name: 'Seedling create fixture',
    files: [{ path: 'one.bin', size: 10_000 }],
    pieceLength: 16_384,
  })
  source = path.join(e2e.workDir, 'to share')
  await mkdir(source)
  await writeFile(path.join(source, 'notes.txt'), 'shared from the create dialog\n'.repeat(200))
  const context = await e2e.browser.newContext()
  page = await context.newPage()
  await page.goto(e2e.serve.loginUrl)
  await page.getByTestId('create-torrent').waitFor({ state: 'visible', timeout: 20_000 })
}, 180_000)

afterAll(async () => {
  await e2e?.close()
})

async function create(opts: { seed: boolean; output?: string }): Promise<void> {
  await page.getByTestId('create-torrent').click()
  await page.getByTestId('create-path').fill(source)
  if (opts.output) await page.getByTestId('create-output').fill(opts.output)
  await page.getByTestId('create-seed').setChecked(opts.seed)
  await page.getByTestId('create-confirm').click()
  await page.getByTestId('create-result').waitFor({ state: 'visible', timeout: 30_000 })
}

describe.skipIf(skipWithoutTools('e2e', [CHROMIUM]))('create torrent', () => {
  it('writes the .torrent where asked, offers it as a download, and does not seed when told not to', async () => {
    const output = path.join(e2e.workDir, 'shared.torrent')
    await create({ seed: false, output })
    expect(await page.getByTestId('create-torrent-path').innerText()).toBe(output)
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 10_000 }),
      page.getByTestId('create-save').click(),
    ])
    expect(download.suggestedFilename()).toBe('to share.torrent')
    const saved = path.join(e2e.workDir, 'downloaded.torrent')
    await download.saveAs(saved)
    expect(Buffer.compare(await readFile(saved), await readFile(output))).toBe(0)
    await screenshot(page, 'create-result')
    await page.getByRole('dialog').press('Escape')
    await page.waitForTimeout(1_000)
    expect(await e2e.api.listTorrents()).toEqual([])
    expect(await page.getByTestId('torrent-row').count()).toBe(0)
  })

  it('seeds the new torrent when asked', async () => {
    await create({ seed: true })
    expect(await page.getByTestId('create-result').innerText()).toContain('Created and now seeding')
    await page.getByRole('dialog').press('Escape')
    await page.getByTestId('torrent-row').first().waitFor({ state: 'visible', timeout: 15_000 })
    const list = await e2e.api.listTorrents()
    expect(list.map((t) => t.name)).toEqual(['to share'])
  })
})
