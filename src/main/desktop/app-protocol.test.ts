import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APP_ENTRY_URL,
  appRequestSegments,
  isAppUrl,
  resolveAppFile,
  serveAppRequest,
} from './app-protocol'

describe('isAppUrl', () => {
  it('accepts the app origin only', () => {
    expect(isAppUrl('app://seedling/index.html')).toBe(true)
    expect(isAppUrl('app://seedling/index.html#/x?y=1')).toBe(true)
    expect(isAppUrl('app://seedling')).toBe(true)
    for (const url of [
      'app://seedling.evil/index.html',
      'app://evil/index.html',
      'app://seedling:80/index.html',
      'app://user@seedling/index.html',
      'apps://seedling/index.html',
      'file:///opt/seedling/index.html',
      'http://seedling/index.html',
      'not a url',
    ])
      expect(isAppUrl(url), url).toBe(false)
  })
})

describe('appRequestSegments', () => {
  it('maps paths to segments, / to index.html, ignoring query and hash', () => {
    expect(appRequestSegments('app://seedling/')).toEqual(['index.html'])
    expect(appRequestSegments('app://seedling')).toEqual(['index.html'])
    expect(appRequestSegments('app://seedling/assets/index-abc.js?v=1#x')).toEqual([
      'assets',
      'index-abc.js',
    ])
    expect(appRequestSegments('app://seedling/assets/a%20b.css')).toEqual(['assets', 'a b.css'])
  })

  it('refuses traversal, encoded separators, absolute and drive paths, other origins', () => {
    for (const url of [
      'app://seedling/../etc/passwd',
      'app://seedling/assets/../../etc/passwd',
      'app://seedling/%2e%2e/etc/passwd',
      'app://seedling/%2E%2E%2Fetc%2Fpasswd',
      'app://seedling/assets%2f..%2f..%2fx',
      'app://seedling/..%5c..%5cwindows',
      'app://seedling/%2Fetc%2Fpasswd',
      'app://seedling/C:%5cWindows%5cwin.ini',
      'app://seedling/c%3a/x',
      'app://seedling/index.html%00.js',
      'app://seedling/.env',
      'app://seedling/%',
      'app://other/index.html',
      'file:///etc/passwd',
    ])
      expect(appRequestSegments(url), url).toBeNull()
  })
})

describe('serving files', () => {
  let base: string
  let root: string
  const CSP = "default-src 'none'"
  const get = (url: string, method = 'GET'): Promise<Response> =>
    serveAppRequest({ url, method }, root, CSP)

  beforeAll(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'seedling-app-protocol-'))
    root = path.join(base, 'renderer')
    mkdirSync(path.join(root, 'assets'), { recursive: true })
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Seedling</title>')
    writeFileSync(path.join(root, 'assets', 'index.js'), 'export {}')
    writeFileSync(path.join(root, 'assets', 'index.css'), 'body{}')
    writeFileSync(path.join(base, 'secret.txt'), 'secret')
    mkdirSync(path.join(base, 'renderer-evil'))
    writeFileSync(path.join(base, 'renderer-evil', 'x.js'), 'evil')
    symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.js'))
    symlinkSync(path.join(base, 'renderer-evil'), path.join(root, 'sibling'))
    symlinkSync(path.join(root, 'assets', 'index.js'), path.join(root, 'inside.js'))
  })
  afterAll(() => rmSync(base, { recursive: true, force: true }))

  it('serves index.html, scripts and styles with their types, the CSP and nosniff', async () => {
    const page = await get(APP_ENTRY_URL)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(CSP)
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toContain('<title>Seedling</title>')
    const script = await get('app://seedling/assets/index.js')
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await script.text()).toBe('export {}')
    expect((await get('app://seedling/assets/index.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    )
    expect(await (await get('app://seedling/')).text()).toContain('Seedling')
  })

  it('follows a symlink that stays inside the folder', async () => {
    expect(await (await get('app://seedling/inside.js')).text()).toBe('export {}')
  })

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(APP_ENTRY_URL, 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405)
  })

  it('404s missing files, folders, symlinks out, traversal and other origins alike', async () => {
    for (const url of [
      'app://seedling/missing.js',
      'app://seedling/assets',
      'app://seedling/assets/link.js',
      'app://seedling/sibling/x.js',
      'app://seedling/../secret.txt',
      'app://seedling/%2e%2e/secret.txt',
      'app://seedling/assets%2f..%2f..%2fsecret.txt',
      `app://seedling/${encodeURIComponent(path.join(base, 'secret.txt'))}`,
      'app://evil/index.html',
    ]) {
      const res = await get(url)
      expect(res.status, url).toBe(404)
      expect(await res.text(), url).toBe('Not found')
    }
    expect(await resolveAppFile('app://seedling/assets/link.js', root)).toBeNull()
    expect(await resolveAppFile('app://seedling/assets', root)).toBeNull()
  })

  it('404s everything when the renderer folder is missing', async () => {
    const res = await serveAppRequest({ url: APP_ENTRY_URL, method: 'GET' }, '/nonexistent', CSP)
    expect(res.status).toBe(404)
  })
})
