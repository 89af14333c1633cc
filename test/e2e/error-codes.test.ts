/**
 * Error codes end to end in a browser over `seedling serve`: the WebSocket replies carry each
 * SeedlingError's code, and the add dialog tells "already in your list" (an info note; the torrent is
 * selected in the list) from "not a torrent" (an error naming the file).
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipWithoutTools } from '../support/external-tools'
import type { TorrentFixture } from '../support/torrent-builder'
import type { RemoteClient } from '../../src/shared/remote-client'
import type { ServeProcess, ServeSession } from './harness'
import { CHROMIUM, screenshot, startServeSession, watchPageErrors } from './harness'

const NAME = 'Seedling e2e error codes'

let serve: ServeProcess
let e2e: ServeSession
let api: RemoteClient
let fixture: TorrentFixture
let workDir: string
let page: Page
let pageErrors: string[]

/** One call over a WebSocket the page opens itself (its cookie, its origin): the raw reply. */
function rawCall(method: string, params: unknown): Promise<unknown> {
  return page.evaluate(
    ({ url, method, params }) =>
      new Promise<unknown>((resolve) => {
        const ws = new WebSocket(url)
        const timer = setTimeout(() => resolve('timeout'), 10_000)
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method, params }))
        ws.onmessage = (e) => {
          const message = JSON.parse(String(e.data)) as { id?: unknown }
          if (message.id !== 1) return
          clearTimeout(timer)
          ws.close()
          resolve(message)
        }
      }),
    { url: `ws://127.0.0.1:${serve.port}/api`, method, params },
  )
}

async function closeDialog(): Promise<void> {
  const cancel = page.getByTestId('add-cancel')
  await cancel.click()
  await cancel.waitFor({ state: 'detached', timeout: 5_000 })
}

beforeAll(async () => {
  e2e = await startServeSession('codes', {
    name: NAME,
    files: [{ path: 'one.bin', size: 40_000 }],
    pieceLength: 16_384,
  })
  serve = e2e.serve
  api = e2e.api
  fixture = e2e.fixture
  workDir = e2e.workDir
  const context = await e2e.browser.newContext()
  page = await context.newPage()
  pageErrors = watchPageErrors(page)
  expect((await page.goto(serve.loginUrl))?.status()).toBe(200)
  await page.getByTestId('add-torrent-input').waitFor({ state: 'attached', timeout: 20_000 })
})

afterAll(async () => {
  await e2e?.close()
})

describe.skipIf(skipWithoutTools('e2e', [CHROMIUM]))('error codes in a browser', () => {
  it('carries the code of each SeedlingError over the WebSocket', async () => {
    const garbage = Buffer.from('not a torrent').toString('base64')
    expect(await rawCall('inspectTorrent', { kind: 'file', data: garbage })).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringMatching(/torrent|bencod/i) },
    })
    expect(await rawCall('getTorrent', { infoHash: 'e'.repeat(40) })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
    // A .torrent that is already there is never overwritten.
    const created = await rawCall('createTorrent', {
      requestId: 'e2e',
      path: fixture.dataDir,
      outputPath: fixture.torrentPath,
    })
    expect(created).toMatchObject({ ok: false, error: { code: 'duplicate' } })
    // Through the shared client the code arrives on the thrown error.
    await expect(api.getPieces({ infoHash: 'e'.repeat(40) })).rejects.toMatchObject({
      code: 'not-found',
    })
  })

  it('shows a file that is not a torrent as an error naming it', async () => {
    const garbage = path.join(workDir, 'holiday-photos.torrent')
    await writeFile(garbage, 'this is not bencode at all\n')
    await page.getByTestId('add-torrent-input').setInputFiles(garbage)
    const error = page.getByTestId('add-error')
    await error.waitFor({ state: 'visible', timeout: 15_000 })
    expect((await error.innerText()).trim()).toMatch(/^Could not read “holiday-photos\.torrent”: /)
    expect(await page.getByTestId('add-duplicate').count()).toBe(0)
    expect(await page.getByTestId('add-confirm').isDisabled()).toBe(true)
    await screenshot(page, 'codes-not-a-torrent')
    await closeDialog()
  })

  it('shows a torrent already in the list as a note and selects it there', async () => {
    await api.addTorrent({
      source: { kind: 'file', data: Buffer.from(fixture.torrentBuffer).toString('base64') },
      downloadDir: fixture.dataDir,
      paused: true,
    })
    const row = page
      .getByTestId('torrent-row')
      .filter({ has: page.getByTestId('torrent-name').getByText(NAME, { exact: true }) })
    await row.waitFor({ state: 'visible', timeout: 20_000 })
    expect(await row.getAttribute('aria-selected')).not.toBe('true')

    await page.getByTestId('add-torrent-input').setInputFiles(fixture.torrentPath)
    const note = page.getByTestId('add-duplicate')
    await note.waitFor({ state: 'visible', timeout: 15_000 })
    expect(await note.innerText()).toContain(`“${NAME}” is already in your list`)
    expect(await note.getAttribute('role')).toBe('status')
    expect(await page.getByTestId('add-error').count()).toBe(0)
    expect(await page.getByTestId('add-confirm').isDisabled()).toBe(true)
    expect(await row.getAttribute('aria-selected')).toBe('true')
    await screenshot(page, 'codes-duplicate')
    await closeDialog()
    expect(await page.getByTestId('torrent-row').count()).toBe(1)
    expect(pageErrors).toEqual([])
  })
})
