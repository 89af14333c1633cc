/**
 * The whole download flow in real Chromium against `seedling serve`, with a real seeder on loopback:
 * an in-process engine seeding a multi-file torrent (16 KiB pieces, 257 of them), announced to an open
 * HTTP tracker on 127.0.0.1 that both sides find through the .torrent's announce URL. Through the UI
 * only: a garbage .torrent is refused; the torrent is added from the file input, downloads to 100%
 * (byte-exact on disk), the General/Files/Peers/Trackers/Pieces tabs agree with the torrent, a second
 * add is a duplicate, pause/resume work, and removing with data deletes the files but not the folder.
 *
 * The tests share one page and run in order (each builds on the one before). Every wait is bounded.
 * Screenshots go to test-results/e2e/flow-*.png.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipWithoutTools } from '../support/external-tools'
import { makeTorrentFixture } from '../support/torrent-builder'
import type { TorrentFixture } from '../support/torrent-builder'
import type { BrowserSession, ServeProcess } from './harness'
import {
  buildRenderer,
  CHROMIUM,
  launchBrowser,
  screenshot,
  startServe,
  watchPageErrors,
} from './harness'
import { startLoopbackSeeder, startLoopbackTracker, waitUntil } from './loopback'
import type { LoopbackSeeder, LoopbackTracker } from './loopback'

const NAME = 'Seedling e2e download — flow'
const PIECE_LENGTH = 16_384
const FILES = [
  { path: 'readme.txt', size: 3_000 },
  { path: 'video/part one.bin', size: 2_500_000 },
  { path: 'video/part two.bin', size: 1_700_001 },
]
const TOTAL = FILES.reduce((n, f) => n + f.size, 0) // 4,203,001 bytes
const PIECES = Math.ceil(TOTAL / PIECE_LENGTH) // 257
const LAST_PIECE = TOTAL - (PIECES - 1) * PIECE_LENGTH // 8,697 bytes
/** The seeder's upload limit: about 4 s for the whole torrent (4.2 MB), so "Downloading" is seen in the UI. */
const UPLOAD_LIMIT = 1_000_000

let workDir: string
let fixture: TorrentFixture
let tracker: LoopbackTracker
let seeder: LoopbackSeeder
let serve: ServeProcess
let session: BrowserSession
let page: Page
let pageErrors: string[]
const statusSeen = new Set<string>()
const progressSeen = new Set<string>()

const en = (n: number): string => n.toLocaleString('en-US')

/** The row of a torrent, found by its name (rows are virtualized: never by position). */
function rowNamed(name: string): Locator {
  return page
    .getByTestId('torrent-row')
    .filter({ has: page.getByTestId('torrent-name').getByText(name, { exact: true }) })
}

async function sha1(file: string): Promise<string> {
  return createHash('sha1')
    .update(await readFile(file))
    .digest('hex')
}

async function openTab(name: string): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true })
  await tab.click()
  await expect.poll(() => tab.getAttribute('aria-selected'), { timeout: 5_000 }).toBe('true')
}

/**
 * Cells of a row whose text does not fit (cut with an ellipsis), as "text (needs N px, has M px)". The
 * name column is left out: a long name is meant to be cut there, with the full name in its title.
 */
function truncatedCells(row: Locator): Promise<string[]> {
  // The DOM as far as this needs it: the Node-side tsconfig has no DOM lib.
  interface Cell {
    scrollWidth: number
    clientWidth: number
    textContent: string | null
    getAttribute(name: string): string | null
  }
  return row.evaluate((el) =>
    [...(el.querySelectorAll('[role=gridcell]') as unknown as Iterable<Cell>)]
      .filter(
        (c) => c.getAttribute('data-testid') !== 'torrent-name' && c.scrollWidth > c.clientWidth,
      )
      .map((c) => `${c.textContent?.trim()} (needs ${c.scrollWidth} px, has ${c.clientWidth} px)`),
  )
}

async function closeDialogIfOpen(): Promise<void> {
  const cancel = page.getByTestId('add-cancel')
  if (await cancel.isVisible()) await cancel.click()
  await cancel.waitFor({ state: 'detached', timeout: 5_000 })
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'seedling-e2e-flow-'))
  tracker = await startLoopbackTracker()
  fixture = await makeTorrentFixture({
    dir: workDir,
    name: NAME,
    files: FILES,
    pieceLength: PIECE_LENGTH,
    trackers: [tracker.announceUrl],
    private: true,
    comment: 'made for the e2e download flow',
    seed: 42,
  })
  seeder = await startLoopbackSeeder(fixture, { uploadLimit: UPLOAD_LIMIT })
  // The seeder has announced once the tracker knows it: only then can the served engine find it.
  await waitUntil(
    () => tracker.peerCount(fixture.infoHash) >= 1,
    20_000,
    'the seeder to announce to the tracker',
  )
  const rendererDir = await buildRenderer()
  serve = await startServe(rendererDir)
  session = await launchBrowser()
  const context = await session.newContext()
  page = await context.newPage()
  pageErrors = watchPageErrors(page)
  const response = await page.goto(serve.loginUrl)
  expect(response?.status()).toBe(200)
  await page.getByTestId('add-torrent-input').waitFor({ state: 'attached', timeout: 20_000 })
})

afterAll(async () => {
  await session?.close()
  const code = await serve?.stop()
  if (serve && code !== 0) console.error(`serve exited with ${code}:\n${serve.output()}`)
  await seeder?.stop()
  await tracker?.stop()
  if (workDir) await rm(workDir, { recursive: true, force: true })
})

describe.skipIf(skipWithoutTools('e2e', [CHROMIUM]))(
  'download flow in a browser against seedling serve and a loopback seeder',
  () => {
    it('refuses a garbage .torrent with a clear error and adds nothing', async () => {
      const garbage = path.join(workDir, 'garbage.torrent')
      await writeFile(garbage, 'this is not bencode at all, just text pretending to be a torrent\n')
      await page.getByTestId('add-torrent-input').setInputFiles(garbage)
      const error = page.getByTestId('add-error')
      await error.waitFor({ state: 'visible', timeout: 15_000 })
      const message = (await error.innerText()).trim()
      expect(message.length).toBeGreaterThan(10)
      expect(message).toMatch(/torrent|bencode|invalid|not a/i)
      expect(await page.getByTestId('add-confirm').isDisabled()).toBe(true)
      await screenshot(page, 'flow-add-error')
      await closeDialogIfOpen()
      // Give a wrongly added torrent time to show up, then check there is none.
      await page.waitForTimeout(1_500)
      expect(await page.getByTestId('torrent-row').count()).toBe(0)
      expect(await readdir(serve.downloadDir)).toEqual([])
    })

    it('adds the torrent from the file input, shows it in the add dialog, and downloads it to 100%', async () => {
      await page.getByTestId('add-torrent-input').setInputFiles(fixture.torrentPath)
      const name = page.getByTestId('add-name')
      await name.waitFor({ state: 'visible', timeout: 15_000 })
      expect(await name.innerText()).toBe(NAME)
      const tree = page.getByTestId('file-tree')
      await tree.waitFor({ state: 'visible', timeout: 5_000 })
      const treeText = await tree.innerText()
      for (const f of FILES) expect(treeText).toContain(path.posix.basename(f.path))
      expect(await page.getByTestId('add-download-dir').inputValue()).toBe(serve.downloadDir)
      await expect
        .poll(() => page.getByTestId('add-confirm').isEnabled(), { timeout: 5_000 })
        .toBe(true)
      await screenshot(page, 'flow-add-dialog')
      await page.getByTestId('add-confirm').click()
      await page.getByTestId('add-confirm').waitFor({ state: 'detached', timeout: 10_000 })

      const row = rowNamed(NAME)
      await row.waitFor({ state: 'visible', timeout: 15_000 })
      expect(await row.getAttribute('data-infohash')).toBe(fixture.infoHash)
      const started = Date.now()
      let downloadingShot = false
      // Watch the row until it is complete, noting what it showed on the way.
      await expect
        .poll(
          async () => {
            const status = (await row.getByTestId('torrent-status').innerText()).trim()
            const progress = (await row.getByTestId('torrent-progress').innerText()).trim()
            statusSeen.add(status)
            progressSeen.add(progress)
            if (status === 'Downloading' && progress !== '0.0%' && !downloadingShot) {
              downloadingShot = true
              await screenshot(page, 'flow-list-downloading')
            }
            return `${progress} ${status}`
          },
          { timeout: 60_000, interval: 200 },
        )
        .toBe('100% Seeding')
      console.log(
        `[download-flow] ${en(TOTAL)} bytes in ${Date.now() - started} ms; ` +
          `statuses seen: ${[...statusSeen].join(', ')}; progress values seen: ${progressSeen.size}`,
      )
      // It was really downloading through the UI's eyes, not added complete.
      expect(statusSeen).toContain('Downloading')
      expect([...progressSeen].some((p) => p !== '100%')).toBe(true)

      // Byte-exact on disk, in the served engine's download folder.
      for (const f of fixture.files) {
        const downloaded = path.join(serve.downloadDir, ...f.path.split('/'))
        expect((await stat(downloaded)).size).toBe(f.size)
        expect(await sha1(downloaded)).toBe(await sha1(f.absolutePath))
      }
      await row.click()
      await expect.poll(() => row.getAttribute('aria-selected'), { timeout: 5_000 }).toBe('true')
      // Every column of the row is wide enough for its value (at 1280 px, Debian's default fonts).
      expect(await truncatedCells(row)).toEqual([])
      await screenshot(page, 'flow-list-complete')
    })

    it("shows the torrent's own values on the General tab", async () => {
      await openTab('General')
      const size = page.getByTestId('general-size')
      await size.waitFor({ state: 'visible', timeout: 10_000 })
      expect((await page.getByTestId('general-infohash').innerText()).trim()).toBe(fixture.infoHash)
      expect((await page.getByTestId('general-name').innerText()).trim()).toBe(NAME)
      expect((await size.innerText()).trim()).toMatch(
        new RegExp(`^4\\.01 MiB \\(${en(TOTAL)} bytes\\)$`),
      )
      const pieces = (await page.getByTestId('general-pieces').innerText())
        .replace(/\s+/g, ' ')
        .trim()
      expect(pieces).toMatch(
        new RegExp(`^${en(PIECES)} × 16(\\.0)? KiB \\(last .*\\(${en(LAST_PIECE)} bytes\\)\\)$`),
      )
      expect((await page.getByTestId('general-private').innerText()).trim()).toBe('Yes')
      await screenshot(page, 'flow-tab-general')
    })

    it('lists every file, complete, on the Files tab', async () => {
      await openTab('Files')
      const panel = page.getByRole('tabpanel')
      await panel.getByTestId('file-tree').waitFor({ state: 'visible', timeout: 10_000 })
      const text = await panel.innerText()
      for (const f of FILES) expect(text).toContain(path.posix.basename(f.path))
      await screenshot(page, 'flow-tab-files')
    })

    it('lists the seeder on the Peers tab', async () => {
      await openTab('Peers')
      const peer = page.getByTestId('peer-row').filter({ hasText: `127.0.0.1:${seeder.port}` })
      await peer.first().waitFor({ state: 'visible', timeout: 15_000 })
      await screenshot(page, 'flow-tab-peers')
    })

    it('shows the loopback tracker working on the Trackers tab', async () => {
      await openTab('Trackers')
      const row = page.getByTestId('tracker-row').filter({ hasText: tracker.announceUrl })
      await row.first().waitFor({ state: 'visible', timeout: 10_000 })
      await expect
        .poll(async () => (await row.first().innerText()).includes('Working'), {
          timeout: 10_000,
        })
        .toBe(true)
      await screenshot(page, 'flow-tab-trackers')
    })

    it('shows every piece complete on the Pieces tab', async () => {
      await openTab('Pieces')
      const have = page.getByTestId('pieces-have')
      await have.waitFor({ state: 'visible', timeout: 10_000 })
      expect((await page.getByTestId('pieces-total').innerText()).trim()).toBe(en(PIECES))
      expect((await have.innerText()).trim()).toBe(en(PIECES))
      expect((await page.getByTestId('pieces-missing').innerText()).trim()).toBe('0')
      expect((await page.getByTestId('pieces-downloading').innerText()).trim()).toBe('0')
      const canvas = page.getByTestId('pieces-canvas')
      expect(await canvas.getAttribute('aria-label')).toBe(
        `Piece map: ${PIECES} of ${PIECES} pieces verified, 0 downloading, 0 missing`,
      )
      const box = await canvas.boundingBox()
      expect(box?.width ?? 0).toBeGreaterThan(50)
      expect(box?.height ?? 0).toBeGreaterThan(4)
      await screenshot(page, 'flow-tab-pieces')
    })

    it('refuses to add the same torrent twice', async () => {
      await page.getByTestId('add-torrent-input').setInputFiles(fixture.torrentPath)
      const duplicate = page.getByTestId('add-duplicate')
      await duplicate.waitFor({ state: 'visible', timeout: 15_000 })
      expect(await duplicate.innerText()).toContain(NAME)
      expect(await duplicate.innerText()).toMatch(/already in your list/)
      expect(await page.getByTestId('add-confirm').isDisabled()).toBe(true)
      await screenshot(page, 'flow-add-duplicate')
      await closeDialogIfOpen()
      expect(await page.getByTestId('torrent-row').count()).toBe(1)
    })

    it('pauses and resumes', async () => {
      const row = rowNamed(NAME)
      const status = row.getByTestId('torrent-status')
      await row.click()
      await page.getByTestId('pause-button').click()
      await expect
        .poll(async () => (await status.innerText()).trim(), { timeout: 15_000 })
        .toBe('Paused')
      await screenshot(page, 'flow-list-paused')
      await page.getByTestId('resume-button').click()
      await expect
        .poll(async () => (await status.innerText()).trim(), { timeout: 30_000 })
        .toBe('Seeding')
      expect((await row.getByTestId('torrent-progress').innerText()).trim()).toBe('100%')
    })

    // A paused torrent has no webtorrent torrent: its progress comes from the resume bitfield.
    it('keeps showing 100% while a complete torrent is paused', async () => {
      const row = rowNamed(NAME)
      const status = row.getByTestId('torrent-status')
      await row.click()
      await page.getByTestId('pause-button').click()
      await expect
        .poll(async () => (await status.innerText()).trim(), { timeout: 15_000 })
        .toBe('Paused')
      const whilePaused = (await row.getByTestId('torrent-progress').innerText()).trim()
      // Back to seeding before asserting, so the tests after this one start from the same state.
      await page.getByTestId('resume-button').click()
      await expect
        .poll(async () => (await status.innerText()).trim(), { timeout: 30_000 })
        .toBe('Seeding')
      expect(whilePaused).toBe('100%')
    })

    it('removes the torrent with its files, keeping the download folder', async () => {
      const row = rowNamed(NAME)
      await row.click()
      await page.getByTestId('remove-button').click()
      const confirm = page.getByTestId('remove-confirm')
      await confirm.waitFor({ state: 'visible', timeout: 5_000 })
      await page.getByTestId('remove-delete-files').check()
      await screenshot(page, 'flow-remove-dialog')
      await confirm.click()
      await confirm.waitFor({ state: 'detached', timeout: 15_000 })
      await row.waitFor({ state: 'detached', timeout: 15_000 })
      expect(await page.getByTestId('torrent-row').count()).toBe(0)
      for (const f of fixture.files) {
        await expect
          .poll(() => existsSync(path.join(serve.downloadDir, ...f.path.split('/'))), {
            timeout: 10_000,
          })
          .toBe(false)
      }
      expect((await stat(serve.downloadDir)).isDirectory()).toBe(true)
      console.log(
        `[download-flow] left in the download folder: ${JSON.stringify(await readdir(serve.downloadDir, { recursive: true }))}`,
      )
      await screenshot(page, 'flow-list-empty')
      // The seeder is unaffected (it keeps its own copy).
      expect(existsSync(fixture.files[0]!.absolutePath)).toBe(true)
      expect(pageErrors).toEqual([])
    })
  },
)
