/**
 * Launches the built app (`npx electron-vite build` first) with Playwright's Electron driver and checks the
 * window, the bridge and the lock-down. Skips when the Electron binary is not installed: here it is never
 * downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD), and `require('electron')` would try to download it, so the
 * binary is located without requiring the package.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { _electron } from 'playwright-core'
import { recordSkip } from '../support/external-tools'

const root = path.resolve(__dirname, '../..')

function electronBinary(): string | null {
  const dir = path.join(root, 'node_modules/electron')
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH']
  const pathFile = path.join(dir, 'path.txt')
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
  const bin = override
    ? path.join(override, rel ?? 'electron')
    : rel
      ? path.join(dir, 'dist', rel)
      : null
  return bin && existsSync(bin) ? bin : null
}

const binary = electronBinary()
const built = existsSync(path.join(root, 'out/main/index.js'))
// Never downloaded here (no network): the summary names the skip; test/desktop covers the wiring.
if (!binary) {
  recordSkip({
    suite: 'electron',
    needs: ['the Electron binary'],
    command: 'npm ci without ELECTRON_SKIP_BINARY_DOWNLOAD',
  })
}

describe.skipIf(!binary)('desktop app smoke test', () => {
  it('opens a locked-down window with the bridge', { timeout: 60_000 }, async () => {
    expect(built, 'run `npx electron-vite build` first').toBe(true)
    const userData = mkdtempSync(path.join(os.tmpdir(), 'seedling-smoke-'))
    const app = await _electron.launch({
      executablePath: binary ?? undefined, // never null here: the suite is skipped without it
      args: [root, `--user-data-dir=${userData}`],
      env: { ...process.env, NODE_ENV: 'production', ELECTRON_RENDERER_URL: '' },
    })
    try {
      const page = await app.firstWindow()
      await page.waitForLoadState('domcontentloaded')
      expect(await page.title()).toBe('Seedling')
      const shape = await page.evaluate(() => {
        const w = globalThis as unknown as {
          seedling?: Record<string, unknown> & { desktop?: Record<string, unknown> }
          require?: unknown
          process?: unknown
        }
        return {
          methods: Object.keys(w.seedling ?? {}).sort(),
          desktop: Object.keys(w.seedling?.desktop ?? {}).sort(),
          node: typeof w.require !== 'undefined' || typeof w.process !== 'undefined',
        }
      })
      expect(shape.node).toBe(false)
      expect(shape.methods).toContain('listTorrents')
      expect(shape.methods).toContain('desktop')
      expect(shape.desktop).toEqual(expect.arrayContaining(['openTorrentFiles', 'onOpenRequest']))
      const list = await page.evaluate(() =>
        (
          globalThis as unknown as { seedling: { listTorrents(): Promise<unknown[]> } }
        ).seedling.listTorrents(),
      )
      expect(list).toEqual([])
      // New windows are denied (https ones open in the browser instead).
      const opened = await page.evaluate(() =>
        (globalThis as unknown as { open(u: string): unknown }).open('about:blank'),
      )
      expect(opened).toBeNull()
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(
        1,
      )
      // Served from app://seedling, not file://, with the CSP as a header; nothing outside out/renderer.
      expect(page.url()).toBe('app://seedling/index.html')
      const served = await page.evaluate(async () => {
        const doc = await fetch('app://seedling/index.html')
        const out = await fetch('app://seedling/%2e%2e/main/index.js')
        return { csp: doc.headers.get('content-security-policy'), outside: out.status }
      })
      expect(served.csp).toContain("default-src 'none'")
      expect(served.outside).toBe(404)
      // No permission beyond the allowlist, and no navigation off the app's origin.
      const permission = await page.evaluate(() =>
        (
          globalThis as unknown as { Notification: { requestPermission(): Promise<string> } }
        ).Notification.requestPermission(),
      )
      expect(permission).toBe('denied')
      await page.evaluate(() => {
        ;(globalThis as unknown as { location: { href: string } }).location.href =
          'https://example.org/'
      })
      await page.waitForTimeout(500)
      expect(page.url()).toBe('app://seedling/index.html')
    } finally {
      await app.close()
    }
  })
})
