/**
 * The web remote's HTTP + WebSocket gatekeeping and protocol, against a fake API (fast; binds 127.0.0.1
 * only). The same server over a real engine is in test/integration/remote-server.test.ts.
 */
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeRenderer, openWs, request, WsPeer } from '../../../test/integration/helpers/remote'
import { apiMethods, eventNames, SeedlingError } from '@shared/api'
import type { SeedlingApi, SeedlingEvents, TorrentSummary } from '@shared/api'
import { REMOTE_MAX_PENDING } from '@shared/remote-protocol'
import { createDispatcher } from '../api-dispatch'
import { TypedEmitter } from '../engine/typed-emitter'
import { cookieName } from './auth'
import type { RemoteServer } from './server'
import { CONTENT_SECURITY_POLICY, startRemoteServer } from './server'

class FakeEngine extends TypedEmitter<SeedlingEvents> {
  listeners = 0
  override on<K extends keyof SeedlingEvents & string>(
    event: K,
    listener: (payload: SeedlingEvents[K]) => void,
  ): () => void {
    this.listeners++
    const off = super.on(event, listener)
    return () => {
      this.listeners--
      off()
    }
  }
  fire<K extends keyof SeedlingEvents & string>(event: K, payload: SeedlingEvents[K]): void {
    this.emit(event, payload)
  }
}

const TOKEN = 'test-token-0123456789abcdef'
let engine: FakeEngine
let server: RemoteServer
let port: number
let root: string
let secret: string
let release: () => void = () => {}
const hanging = new Promise<void>((resolve) => (release = resolve))

function fakeApi(): SeedlingApi {
  const api = Object.fromEntries(
    apiMethods.map((m) => [
      m,
      async () => {
        throw new SeedlingError(`${m} is not part of this test`)
      },
    ]),
  ) as unknown as SeedlingApi
  api.listTorrents = async () => []
  // Never answers until the test ends: fills the per-connection pending budget.
  api.getStats = async () => {
    await hanging
    throw new SeedlingError('released')
  }
  api.getSettings = async () => {
    throw new Error('disk exploded\nstack details')
  }
  api.addTorrent = async () => {
    throw new SeedlingError('already in the list', 'duplicate')
  }
  return api
}

const bearer = { authorization: `Bearer ${TOKEN}` }
const wsUrl = (): string => `ws://127.0.0.1:${port}/api`
const origin = (): string => `http://127.0.0.1:${port}`

async function connect(): Promise<WsPeer> {
  const opened = await openWs(wsUrl(), { headers: bearer })
  if (!opened.ok) throw new Error(`refused with ${opened.status}`)
  return new WsPeer(opened.ws)
}

beforeAll(async () => {
  const fake = await fakeRenderer()
  root = fake.root
  secret = fake.secret
  engine = new FakeEngine()
  server = await startRemoteServer({
    engine,
    dispatch: createDispatcher(fakeApi()),
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    rendererDir: fake.rendererDir,
  })
  port = server.port
})

afterAll(async () => {
  release()
  await server?.close()
  if (root) await rm(root, { recursive: true, force: true })
})

describe('HTTP', () => {
  it('reports its address and a login URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}/`)
    expect(server.loginUrl).toBe(`http://127.0.0.1:${port}/?token=${TOKEN}`)
  })

  it('refuses every request without the token with 401 and a short page', async () => {
    for (const p of ['/', '/index.html', '/assets/app.js', '/api', '/nope']) {
      const res = await request(port, p)
      expect(res.status, p).toBe(401)
      expect(res.body).toMatch(/token is needed/)
      expect(res.body).not.toContain('<script')
    }
  })

  it('refuses a wrong token in the query, the header or the cookie', async () => {
    expect((await request(port, '/?token=wrong-token-0123456789abcdef')).status).toBe(401)
    expect((await request(port, `/?token=${TOKEN}x`)).status).toBe(401)
    expect((await request(port, '/', { authorization: 'Bearer nope' })).status).toBe(401)
    expect((await request(port, '/', { cookie: `${cookieName(port)}=${TOKEN}` })).status).toBe(401)
    // A right cookie does not rescue a wrong bearer token.
    const login = await request(port, `/?token=${TOKEN}`)
    const cookie = String(login.headers['set-cookie']).split(';')[0]!
    expect((await request(port, '/', { cookie, authorization: 'Bearer x' })).status).toBe(401)
  })

  it('trades the token in the URL for an HttpOnly SameSite=Strict cookie and redirects to /', async () => {
    const res = await request(port, `/?token=${encodeURIComponent(TOKEN)}`)
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('/')
    const setCookie = res.headers['set-cookie']?.[0] ?? ''
    expect(setCookie).toMatch(new RegExp(`^${cookieName(port)}=`))
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Strict/)
    expect(setCookie).toMatch(/Path=\//)
    expect(setCookie).not.toContain(TOKEN)
    const cookie = setCookie.split(';')[0]!
    const page = await request(port, '/', { cookie })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Seedling</title>')
  })

  it('serves the renderer with strict security headers and the right content types', async () => {
    const page = await request(port, '/', bearer)
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'")
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    expect(page.headers['cache-control']).toBe('no-store')
    const js = await request(port, '/assets/app.js', bearer)
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.body).toContain('seedling')
    const css = await request(port, '/assets/style.css', bearer)
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
    const head = await request(port, '/index.html', bearer, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })

  it('allows only GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await request(port, '/', bearer, method)
      expect(res.status).toBe(405)
      expect(res.headers.allow).toBe('GET, HEAD')
    }
  })

  it('answers 426 to a plain GET of the WebSocket path', async () => {
    expect((await request(port, '/api', bearer)).status).toBe(426)
  })

  it('refuses a Host that is not its own (DNS rebinding), even with the token', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      '127.0.0.1',
    ]) {
      const res = await request(port, '/', { ...bearer, host })
      expect(res.status, host).toBe(421)
      expect(res.body).not.toContain('<title>')
    }
    for (const host of [`localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await request(port, '/', { ...bearer, host })).status, host).toBe(200)
    }
  })

  it('never serves anything outside the renderer folder', async () => {
    const attempts = [
      '/../package.json',
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/package.json',
      '/%2E%2E/secret.txt',
      '/..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/%2e%2e%5csecret.txt',
      '/..\\secret.txt',
      '/assets/link.txt',
      '/.env',
      '/%2eenv',
      '/index.html%00.js',
      '/%ff',
      '//etc/passwd',
      '/assets',
    ]
    for (const p of attempts) {
      const res = await request(port, p, bearer)
      expect(res.status, p).toBe(404)
      expect(res.body, p).not.toContain(secret)
      expect(res.body, p).not.toContain('HIDDEN')
    }
  })
})

describe('WebSocket gatekeeping', () => {
  it('refuses an upgrade without a token or with a wrong one (401)', async () => {
    expect(await openWs(wsUrl(), { origin: origin() })).toEqual({ ok: false, status: 401 })
    expect(
      await openWs(wsUrl(), { origin: origin(), headers: { authorization: 'Bearer wrong' } }),
    ).toEqual({ ok: false, status: 401 })
    expect(await openWs(`${wsUrl()}?token=${TOKEN}`, { origin: origin() })).toEqual({
      ok: false,
      status: 401,
    })
  })

  it('refuses a cross-site Origin (403), even with a valid cookie', async () => {
    const login = await request(port, `/?token=${TOKEN}`)
    const cookie = login.headers['set-cookie']![0]!.split(';')[0]!
    for (const bad of [
      'http://evil.example',
      `http://evil.example:${port}`,
      'null',
      `https://127.0.0.1:${port}`,
    ]) {
      expect(await openWs(wsUrl(), { origin: bad, headers: { cookie } }), bad).toEqual({
        ok: false,
        status: 403,
      })
    }
    // A browser always sends Origin; a cookie without one is refused.
    expect(await openWs(wsUrl(), { headers: { cookie } })).toEqual({ ok: false, status: 403 })
    expect(await openWs(wsUrl(), { origin: 'http://evil.example', headers: bearer })).toEqual({
      ok: false,
      status: 403,
    })
    const good = await openWs(wsUrl(), { origin: origin(), headers: { cookie } })
    expect(good.ok).toBe(true)
    if (good.ok) good.ws.terminate()
  })

  it('refuses a foreign Host (421) and other paths (404)', async () => {
    expect(await openWs(wsUrl(), { headers: { ...bearer, host: `evil.example:${port}` } })).toEqual(
      { ok: false, status: 421 },
    )
    expect(await openWs(`ws://127.0.0.1:${port}/other`, { headers: bearer })).toEqual({
      ok: false,
      status: 404,
    })
  })

  it('lets a bearer-token script connect without an Origin', async () => {
    const peer = await connect()
    expect(await peer.call('listTorrents')).toEqual({ id: 1, ok: true, value: [] })
    peer.close()
  })
})

describe('WebSocket protocol', () => {
  it('validates calls through the shared dispatcher', async () => {
    const peer = await connect()
    try {
      expect(await peer.call('nope')).toMatchObject({
        ok: false,
        error: { message: 'unknown command: nope', code: 'invalid' },
      })
      expect(await peer.call('getTorrent', { infoHash: 'xyz' })).toMatchObject({
        ok: false,
        error: {
          message: expect.stringMatching(/^invalid getTorrent request at infoHash: /),
          code: 'invalid',
        },
      })
      expect(await peer.call('listTorrents', { extra: 1 })).toMatchObject({
        ok: false,
        error: { message: /^invalid listTorrents request/ },
      })
      expect(await peer.call('__proto__')).toMatchObject({
        ok: false,
        error: { message: /unknown command/ },
      })
      expect(await peer.call('pauseTorrents', { infoHashes: [] })).toMatchObject({
        ok: false,
        error: { message: 'pauseTorrents is not part of this test', code: 'invalid' },
      })
    } finally {
      peer.close()
    }
  })

  it('sends SeedlingErrors with their code and marks anything else internal', async () => {
    const peer = await connect()
    try {
      expect(await peer.call('getSettings')).toMatchObject({
        ok: false,
        error: { message: 'internal error: disk exploded', code: 'internal' },
      })
      const source = { kind: 'infoHash', infoHash: 'a'.repeat(40) }
      expect(await peer.call('addTorrent', { source })).toMatchObject({
        ok: false,
        error: { message: 'already in the list', code: 'duplicate' },
      })
    } finally {
      peer.close()
    }
  })

  it('answers malformed messages with an error and keeps the connection', async () => {
    const peer = await connect()
    try {
      peer.sendRaw('{not json')
      expect(await peer.reply(null)).toEqual({
        id: null,
        ok: false,
        error: { message: 'malformed message: not JSON', code: 'invalid' },
      })
      peer.sendRaw(JSON.stringify({ id: 7, params: {} }))
      expect(await peer.reply(7)).toMatchObject({
        ok: false,
        error: { message: /malformed message/ },
      })
      peer.sendRaw(JSON.stringify([1, 2, 3]))
      expect(await peer.reply(null)).toMatchObject({ ok: false })
      peer.sendRaw(Buffer.from([1, 2, 3]))
      expect(await peer.reply(null)).toMatchObject({ ok: false, error: { message: /JSON text/ } })
      expect(await peer.call('listTorrents')).toMatchObject({ ok: true, value: [] })
    } finally {
      peer.close()
    }
  })

  it('caps the calls in flight per connection', async () => {
    const peer = await connect()
    try {
      const replies = Array.from({ length: REMOTE_MAX_PENDING + 3 }, () => peer.call('getStats'))
      const overflow = await Promise.race([
        Promise.any(replies.slice(REMOTE_MAX_PENDING)),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no overflow reply')), 5000)),
      ])
      expect(overflow).toMatchObject({
        ok: false,
        error: { message: /too many requests in flight/ },
      })
      // Another connection has its own budget.
      const other = await connect()
      expect(await other.call('listTorrents')).toMatchObject({ ok: true })
      other.close()
    } finally {
      peer.close()
    }
  })

  it('closes a connection that sends an oversized message and stays up', async () => {
    const peer = await connect()
    peer.sendRaw(
      JSON.stringify({ id: 1, method: 'listTorrents', params: 'x'.repeat(17 * 2 ** 20) }),
    )
    expect((await peer.waitClosed()).code).toBe(1009)
    const again = await connect()
    expect(await again.call('listTorrents')).toMatchObject({ ok: true })
    again.close()
  })

  it('pushes engine events and unsubscribes when the connection closes', async () => {
    const settled = async (count: number): Promise<void> => {
      const deadline = Date.now() + 5000
      while (engine.listeners !== count && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20))
      }
      expect(engine.listeners).toBe(count)
    }
    await settled(0) // connections of earlier tests are gone
    const peer = await connect()
    expect(engine.listeners).toBe(Object.keys(eventNames).length)
    const summary = { infoHash: 'a'.repeat(40), name: '<b>x</b>' } as TorrentSummary
    engine.fire('torrent:added', summary)
    expect(await peer.nextEvent('torrent:added')).toEqual({
      event: 'torrent:added',
      payload: summary,
    })
    engine.fire('torrent:removed', 'a'.repeat(40))
    expect(await peer.nextEvent('torrent:removed')).toEqual({
      event: 'torrent:removed',
      payload: 'a'.repeat(40),
    })
    peer.ws.close()
    await peer.waitClosed()
    await settled(0)
  })
})

describe('startRemoteServer', () => {
  it('refuses to start without a built renderer', async () => {
    await expect(
      startRemoteServer({
        engine: new FakeEngine(),
        dispatch: createDispatcher(fakeApi()),
        token: TOKEN,
        rendererDir: `${root}/missing`,
      }),
    ).rejects.toThrow(/not built/)
  })

  it('closes open connections with 1001 when it stops', async () => {
    const fake = await fakeRenderer()
    const other = await startRemoteServer({
      engine: new FakeEngine(),
      dispatch: createDispatcher(fakeApi()),
      token: TOKEN,
      rendererDir: fake.rendererDir,
    })
    const opened = await openWs(`ws://127.0.0.1:${other.port}/api`, { headers: bearer })
    expect(opened.ok).toBe(true)
    if (!opened.ok) return
    const peer = new WsPeer(opened.ws)
    await other.close()
    expect((await peer.waitClosed()).code).toBe(1001)
    await rm(fake.root, { recursive: true, force: true })
  })
})
