/**
 * Categories and tags in Chromium against `seedling serve` (issue 10: the sidebar filters by status,
 * category, tag and tracker): the context menu's "Category and tags…" dialog sets them on a selection
 * of two, the sidebar counts and filters by them, the engine keeps them, and the dialog passes axe.
 * Loopback only; the torrents have no trackers.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipWithoutTools } from '../support/external-tools'
import { makeTorrentFixture } from '../support/torrent-builder'
import type { TorrentFixture } from '../support/torrent-builder'
import { seriousViolations } from './axe'
import type { ServeSession } from './harness'
import { CHROMIUM, screenshot, startServeSession, watchPageErrors } from './harness'

const FIRST = 'Labels fixture one'
const SECOND = 'Labels fixture two'

let e2e: ServeSession
let page: Page
let pageErrors: string[]
let second: TorrentFixture

const rowNamed = (name: string) =>
  page
    .getByTestId('torrent-row')
    .filter({ has: page.getByTestId('torrent-name').getByText(name, { exact: true }) })
const visibleNames = () => page.getByTestId('torrent-name').allInnerTexts()
/** Each facet button of a sidebar group as "label: count". */
const facetTexts = async (group: string): Promise<string[]> =>
  (await page.getByTestId(group).getByRole('button').allInnerTexts()).map((s) =>
    s.replace(/\s*:\s*/, ': ').trim(),
  )

beforeAll(async () => {
  e2e = await startServeSession('labels', {
    name: FIRST,
    files: [{ path: 'one.bin', size: 20_000 }],
    pieceLength: 16_384,
  })
  second = await makeTorrentFixture({
    dir: path.join(e2e.workDir, 'second'),
    name: SECOND,
    files: [{ path: 'two.bin', size: 20_000 }],
    pieceLength: 16_384,
  })
  const context = await e2e.browser.newContext()
  page = await context.newPage()
  pageErrors = watchPageErrors(page)
  await page.goto(e2e.serve.loginUrl)
  for (const f of [e2e.fixture, second]) {
    await e2e.api.addTorrent({
      source: { kind: 'file', data: Buffer.from(f.torrentBuffer).toString('base64') },
      downloadDir: f.dataDir,
      paused: true,
    })
  }
  await rowNamed(FIRST).waitFor({ state: 'visible', timeout: 20_000 })
  await rowNamed(SECOND).waitFor({ state: 'visible', timeout: 20_000 })
}, 180_000)

afterAll(async () => {
  await e2e?.close()
})

describe.skipIf(skipWithoutTools('e2e', [CHROMIUM]))('categories and tags', () => {
  it('sets a category and tags on two torrents from the context menu', async () => {
    expect(await facetTexts('category-facets')).toEqual(['All: 2', 'Uncategorized: 2'])
    await rowNamed(FIRST).click()
    await rowNamed(SECOND).click({ modifiers: ['Control'] })
    await rowNamed(SECOND).click({ button: 'right' })
    await page.getByTestId('menu-labels').click()
    const dialog = page.getByTestId('labels-dialog')
    await dialog.waitFor({ state: 'visible', timeout: 5_000 })
    expect(await page.getByRole('dialog').getByRole('heading').innerText()).toBe(
      'Category and tags of 2 torrents',
    )
    await page.getByTestId('labels-category').fill('a,b')
    await page.getByTestId('labels-save').click()
    await page.getByRole('dialog').getByRole('alert').waitFor({ timeout: 5_000 })
    expect(await page.getByRole('dialog').getByRole('alert').innerText()).toContain(
      'without commas',
    )

    await page.getByTestId('labels-category').fill('Linux ISOs')
    await page.getByTestId('labels-add-tags').fill('fast, keep')
    expect(await seriousViolations(page, '[role="dialog"]')).toEqual([])
    await screenshot(page, 'labels-dialog')
    await page.getByTestId('labels-save').click()
    await dialog.waitFor({ state: 'detached', timeout: 5_000 })
    await expect
      .poll(() => facetTexts('category-facets'), { timeout: 10_000 })
      .toEqual(['All: 2', 'Uncategorized: 0', 'Linux ISOs: 2'])
    expect(await facetTexts('tag-facets')).toEqual(['All: 2', 'Untagged: 0', 'fast: 2', 'keep: 2'])
    const kept = await e2e.api.listTorrents()
    expect(kept.map((t) => [t.category, t.tags])).toEqual([
      ['Linux ISOs', ['fast', 'keep']],
      ['Linux ISOs', ['fast', 'keep']],
    ])
  })

  it('removes a tag from one torrent and filters by tag and category in the sidebar', async () => {
    await rowNamed(SECOND).click()
    await rowNamed(SECOND).click({ button: 'right' })
    await page.getByTestId('menu-labels').click()
    const keep = page.getByTestId('labels-tag').and(page.locator('[value="keep"]'))
    await keep.uncheck()
    await page.getByTestId('labels-save').click()
    await page.getByTestId('labels-dialog').waitFor({ state: 'detached', timeout: 5_000 })
    await expect
      .poll(() => facetTexts('tag-facets'), { timeout: 10_000 })
      .toEqual(['All: 2', 'Untagged: 0', 'fast: 2', 'keep: 1'])

    await page.getByTestId('tag-facets').getByRole('button', { name: /^keep/ }).click()
    await expect.poll(visibleNames, { timeout: 5_000 }).toEqual([FIRST])
    await page.getByTestId('category-none').click()
    await expect.poll(visibleNames, { timeout: 5_000 }).toEqual([])
    await page.getByTestId('category-all').click()
    await page.getByTestId('tag-all').click()
    await expect.poll(async () => (await visibleNames()).length, { timeout: 5_000 }).toBe(2)
    expect(pageErrors).toEqual([])
  })
})
