/**
 * End-to-end harness: the real `seedling serve` (as a child process, through tsx) with a temp state dir and
 * token, the renderer freshly built, and Debian's Chromium driven by playwright-core. Loopback only; every
 * wait is bounded; `stop()`/`close()` end exactly what was started here.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import WebSocket from 'ws'
import { createRemoteClient } from '../../src/shared/remote-client'
import type { RemoteClient, SocketLike } from '../../src/shared/remote-client'
import { makeTorrentFixture } from '../support/torrent-builder'
import type { FixtureOptions, TorrentFixture } from '../support/torrent-builder'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
export const RESULTS_DIR = path.join(REPO, 'test-results', 'e2e')
const BIN = path.join(REPO, 'node_modules', '.bin')

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(output)
      else reject(new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${code}):\n${output}`))
    })
  })
}

/**
 * The renderer to serve: `SEEDLING_E2E_RENDERER_DIR` when set, otherwise a fresh `electron-vite build`
 * into test-results/e2e/build (about a second), so the test never runs against a stale out/renderer.
 */
export async function buildRenderer(): Promise<string> {
  const given = process.env['SEEDLING_E2E_RENDERER_DIR']
  if (given) return path.resolve(given)
  const outDir = path.join(RESULTS_DIR, 'build')
  await run(
    path.join(BIN, 'electron-vite'),
    ['build', '--outDir', outDir, '--logLevel', 'warn'],
    120_000,
  )
  const rendererDir = path.join(outDir, 'renderer')
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`electron-vite build left no ${rendererDir}/index.html`)
  }
  return rendererDir
}

export interface ServeProcess {
  /** The address to open once: carries the token. */
  loginUrl: string
  /** `http://127.0.0.1:PORT` */
  origin: string
  port: number
  token: string
  stateDir: string
  downloadDir: string
  /** stdout + stderr so far, for failure messages. */
  output(): string
  /** SIGTERM, then a bounded wait (SIGKILL after 15 s); resolves with the exit code. */
  stop(): Promise<number | null>
}

/** Starts `seedling serve` on a free loopback port with a temp state dir; resolves once it is listening. */
export async function startServe(rendererDir: string): Promise<ServeProcess> {
  const root = await mkdtemp(path.join(tmpdir(), 'seedling-e2e-'))
  const stateDir = path.join(root, 'state')
  const downloadDir = path.join(root, 'downloads')
  await mkdir(downloadDir, { recursive: true })
  const token = randomBytes(24).toString('base64url')
  const args = [
    path.join(REPO, 'src', 'main', 'cli', 'index.ts'),
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--state-dir',
    stateDir,
    '--dir',
    downloadDir,
    // The tests' fixtures live in temp folders of their own; a token holder may use those too.
    '--allow-root',
    tmpdir(),
    '--renderer-dir',
    rendererDir,
    '--no-dht',
    '--no-lsd',
    '--no-upnp',
    '--no-pex',
  ]
  // The token goes through the environment, not argv, so it is not in the process list.
  const child: ChildProcess = spawn(path.join(BIN, 'tsx'), args, {
    cwd: REPO,
    env: { ...process.env, SEEDLING_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  const loginUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start in 30 s:\n${output}`)),
      30_000,
    )
    const onData = (d: Buffer): void => {
      output += d.toString()
      const match = /Seedling is serving on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited with ${code} before listening:\n${output}`))
    })
  }).catch(async (err: unknown) => {
    child.kill('SIGKILL')
    await rm(root, { recursive: true, force: true })
    throw err
  })
  const url = new URL(loginUrl)
  let stopping: Promise<number | null> | null = null
  return {
    loginUrl,
    origin: url.origin,
    port: Number(url.port),
    token,
    stateDir,
    downloadDir,
    output: () => output,
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
        const code = await exited
        clearTimeout(timer)
        await rm(root, { recursive: true, force: true })
        return code
      })()),
  }
}

/** An API client for the test itself (a script, so a bearer token and no Origin). */
export function apiClient(serve: ServeProcess): RemoteClient {
  return createRemoteClient(`ws://127.0.0.1:${serve.port}/api`, {
    createSocket: (url) =>
      new WebSocket(url, {
        headers: { authorization: `Bearer ${serve.token}` },
      }) as unknown as SocketLike,
    connectTimeoutMs: 10_000,
  })
}

export interface BrowserSession {
  browser: Browser
  /** A fresh context (no cookies) with a bounded default timeout. */
  newContext(): Promise<BrowserContext>
  close(): Promise<void>
}

/** Debian's Chromium: playwright-core drives it; nothing is downloaded. */
export const CHROMIUM = '/usr/bin/chromium'

export async function launchBrowser(): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  })
  const contexts: BrowserContext[] = []
  return {
    browser,
    async newContext() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      context.setDefaultTimeout(15_000)
      context.setDefaultNavigationTimeout(30_000)
      contexts.push(context)
      return context
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined)
      await browser.close().catch(() => undefined)
    },
  }
}

/** Saves a PNG to test-results/e2e/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true })
  const file = path.join(RESULTS_DIR, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/**
 * Collects the page's console errors (CSP violations among them), uncaught exceptions and failed
 * responses, to assert that none happened. The browser's own /favicon.ico probe is not the app's.
 */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = []
  const isFavicon = (url: string): boolean => new URL(url).pathname === '/favicon.ico'
  page.on('console', (m) => {
    if (m.type() !== 'error') return
    const url = m.location().url
    if (url && isFavicon(url)) return
    if (/Failed to load resource/.test(m.text())) return // reported with its URL below
    errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('response', (r) => {
    if (r.status() >= 400 && !isFavicon(r.url())) errors.push(`${r.status()} ${r.url()}`)
  })
  page.on('requestfailed', (r) => {
    if (!isFavicon(r.url())) errors.push(`failed ${r.url()}: ${r.failure()?.errorText}`)
  })
  return errors
}

/** What the browser suites set up: a fixture torrent, `seedling serve`, an API client and Chromium. */
export interface ServeSession {
  workDir: string
  fixture: TorrentFixture
  serve: ServeProcess
  api: RemoteClient
  browser: BrowserSession
  /** Ends all of it; a serve that exits unclean prints its output. */
  close(): Promise<void>
}

export async function startServeSession(
  prefix: string,
  fixtureOptions: Omit<FixtureOptions, 'dir'>,
): Promise<ServeSession> {
  const workDir = await mkdtemp(path.join(tmpdir(), `seedling-e2e-${prefix}-`))
  let serve: ServeProcess | undefined
  let api: RemoteClient | undefined
  let browser: BrowserSession
  let fixture: TorrentFixture
  try {
    fixture = await makeTorrentFixture({ ...fixtureOptions, dir: workDir })
    serve = await startServe(await buildRenderer())
    api = apiClient(serve)
    browser = await launchBrowser()
  } catch (err) {
    // Whatever started is ended here: the suite's afterAll has no session to close.
    api?.close()
    await serve?.stop()
    await rm(workDir, { recursive: true, force: true })
    throw err
  }
  return {
    workDir,
    fixture,
    serve,
    api,
    browser,
    async close() {
      api!.close()
      await browser.close()
      const code = await serve!.stop()
      if (code !== 0) console.error(`serve exited with ${code}:\n${serve!.output()}`)
      await rm(workDir, { recursive: true, force: true })
    },
  }
}
