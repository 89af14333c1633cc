/**
 * The headless / web remote transport: node:http serves the built renderer, a WebSocket on /api carries the
 * API through the same dispatcher as Electron IPC, and engine events are pushed to every connection.
 *
 * Gatekeeping, in order, for every HTTP request and WebSocket upgrade:
 *   1. Host must be one of the server's own names (DNS rebinding) → 421;
 *   2. the token: `GET /?token=T` trades it for an HttpOnly SameSite=Strict cookie and redirects to `/`;
 *      everything else needs that cookie or `Authorization: Bearer T` → 401;
 *   3. a WebSocket's Origin must be the server itself (cross-site WebSocket hijacking) → 403; only a
 *      bearer-token client (not a browser) may omit it.
 * There is no state-changing HTTP endpoint (GET/HEAD only), so there is nothing for CSRF to reach.
 */
import http from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { RawData, WebSocket } from 'ws'
import type { Dispatch } from '../api-dispatch'
import { eventNames } from '@shared/api'
import type { EventName, SeedlingEvents } from '@shared/api'
import {
  REMOTE_API_PATH,
  REMOTE_MAX_MESSAGE_BYTES,
  REMOTE_MAX_PENDING,
  RemoteCloseCode,
  RemoteRequestSchema,
} from '@shared/remote-protocol'
import type { RemoteServerMessage } from '@shared/remote-protocol'
import { toReply, toWireError } from '@shared/wire'
import type { WireError } from '@shared/wire'
import {
  allowedHosts,
  authenticate,
  hostAllowed,
  isWildcardHost,
  originAllowed,
  safeEqual,
  sessionCookie,
  urlHost,
} from './auth'
import { StaticFiles } from './static'

/** What the server needs of the engine: its events. Calls go through `dispatch`. */
export interface EngineEvents {
  on<K extends EventName>(event: K, listener: (payload: SeedlingEvents[K]) => void): () => void
}

export interface RemoteServerOptions {
  engine: EngineEvents
  dispatch: Dispatch
  /** Address to bind; 127.0.0.1 unless asked otherwise. */
  host?: string
  /** 0 picks a free port. */
  port?: number
  token: string
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** More names the server answers to (e.g. behind a reverse proxy); loopback names are always allowed. */
  extraHosts?: string[]
  /** Concurrent WebSocket connections; further upgrades get 503. */
  maxConnections?: number
  log?: (message: string) => void
}

export interface RemoteServer {
  /** The server's own address, without the token, e.g. `http://127.0.0.1:8080/`. */
  url: string
  /** The address to open once in a browser: it carries the token, which the server trades for a cookie. */
  loginUrl: string
  port: number
  close(): Promise<void>
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ')

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

/** A connection whose unsent output grows past this is too slow to follow; it is closed and may resync. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024
const HEARTBEAT_MS = 30_000

const NEED_TOKEN_PAGE =
  'Seedling: a token is needed.\n\n' +
  'Open the address that `seedling serve` printed (it ends in ?token=...) in this browser once;\n' +
  'after that a cookie keeps you signed in. Scripts can send "Authorization: Bearer <token>".\n'

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  421: 'Misdirected Request',
  503: 'Service Unavailable',
}

function splitUrl(url: string | undefined): { pathname: string; query: string } {
  const raw = url ?? '/'
  const q = raw.indexOf('?')
  return q < 0
    ? { pathname: raw, query: '' }
    : { pathname: raw.slice(0, q), query: raw.slice(q + 1) }
}

function rawToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}

function idOf(message: unknown): number | null {
  const id = (message as { id?: unknown } | null)?.id
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null
}

export async function startRemoteServer(opts: RemoteServerOptions): Promise<RemoteServer> {
  const { engine, dispatch, token } = opts
  const host = opts.host ?? '127.0.0.1'
  const log = opts.log ?? (() => {})
  const maxConnections = opts.maxConnections ?? 32
  const files = new StaticFiles(opts.rendererDir)
  try {
    await files.check()
  } catch {
    throw new Error(
      `the web interface is not built: ${opts.rendererDir} has no index.html (run npm run build)`,
    )
  }

  let port = 0
  let allowed = new Set<string>()
  const connections = new Map<WebSocket, () => void>()

  const plain = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      ...(status === 401 ? { 'WWW-Authenticate': 'Bearer realm="Seedling"' } : {}),
    })
    res.end(text)
  }

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req.headers.host, allowed)) {
      plain(res, 421, 'Seedling answers only to its own address (127.0.0.1 or localhost).\n')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      plain(res, 405, 'Method not allowed.\n')
      return
    }
    const { pathname, query } = splitUrl(req.url)
    const given = new URLSearchParams(query).get('token')
    if (pathname === '/' && given !== null) {
      if (!safeEqual(given, token)) {
        plain(res, 401, NEED_TOKEN_PAGE)
        return
      }
      // Trade the token for a cookie and take it out of the address bar (and the history).
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        Location: '/',
        'Set-Cookie': sessionCookie(token, port),
        'Cache-Control': 'no-store',
        'Content-Length': 0,
      })
      res.end()
      return
    }
    if (!authenticate(req.headers, token, port)) {
      plain(res, 401, NEED_TOKEN_PAGE)
      return
    }
    if (pathname === REMOTE_API_PATH) {
      plain(res, 426, 'This address takes WebSocket connections only.\n')
      return
    }
    const file = await files.load(pathname)
    if (!file) {
      plain(res, 404, 'Not found.\n')
      return
    }
    const isIndex = file.contentType.startsWith('text/html')
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      'Cache-Control': isIndex ? 'no-store' : 'private, no-cache',
    })
    res.end(req.method === 'HEAD' ? undefined : file.body)
  }

  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((err: unknown) => {
      log(`web remote: ${(err as Error).message}`)
      if (!res.headersSent) plain(res, 500, 'Internal error.\n')
      else res.destroy()
    })
  })
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: REMOTE_MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  })

  const refuseUpgrade = (socket: Duplex, status: number, text: string): void => {
    const body = `${text}\n`
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
        'Connection: close\r\n' +
        'Content-Type: text/plain; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    )
    setTimeout(() => socket.destroy(), 1000).unref()
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    if (!hostAllowed(req.headers.host, allowed)) return refuseUpgrade(socket, 421, 'bad Host')
    if (splitUrl(req.url).pathname !== REMOTE_API_PATH)
      return refuseUpgrade(socket, 404, 'not found')
    const auth = authenticate(req.headers, token, port)
    if (!auth) return refuseUpgrade(socket, 401, 'a token is needed')
    const origin = req.headers.origin
    // Browsers always send Origin on a WebSocket; only a script with the bearer token may leave it out.
    const originOk = origin === undefined ? auth === 'bearer' : originAllowed(origin, allowed)
    if (!originOk) return refuseUpgrade(socket, 403, 'cross-origin WebSocket refused')
    if (connections.size >= maxConnections)
      return refuseUpgrade(socket, 503, 'too many connections')
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws))
  })

  const send = (ws: WebSocket, message: RemoteServerMessage): void => {
    if (ws.readyState !== ws.OPEN) return
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(RemoteCloseCode.tryAgainLater, 'too slow to keep up; reconnect to resync')
      return
    }
    let text: string
    try {
      text = JSON.stringify(message)
    } catch (err) {
      if (!('id' in message)) return
      text = JSON.stringify({ id: message.id, ok: false, error: toWireError(err) })
    }
    ws.send(text)
  }

  const onConnection = (ws: WebSocket): void => {
    let pending = 0
    let alive = true
    const unsubscribe = (Object.keys(eventNames) as EventName[]).map((event) =>
      engine.on(event, (payload) => send(ws, { event, payload })),
    )
    const heartbeat = setInterval(() => {
      if (!alive) return ws.terminate()
      alive = false
      ws.ping()
    }, HEARTBEAT_MS)
    heartbeat.unref()
    const cleanup = (): void => {
      clearInterval(heartbeat)
      for (const off of unsubscribe.splice(0)) off()
      connections.delete(ws)
    }
    connections.set(ws, cleanup)
    ws.on('pong', () => (alive = true))
    ws.on('close', cleanup)
    ws.on('error', (err) => {
      log(`web remote: connection closed: ${err.message}`)
      ws.terminate()
    })
    ws.on('message', (data, isBinary) => {
      const fail = (id: number | null, message: string): void => {
        const error: WireError = { message, code: 'invalid' }
        send(ws, { id, ok: false, error })
      }
      if (isBinary) return fail(null, 'malformed message: expected JSON text')
      let message: unknown
      try {
        message = JSON.parse(rawToText(data))
      } catch {
        return fail(null, 'malformed message: not JSON')
      }
      const request = RemoteRequestSchema.safeParse(message)
      if (!request.success) {
        return fail(idOf(message), 'malformed message: expected { id, method, params }')
      }
      const { id, method, params } = request.data
      if (pending >= REMOTE_MAX_PENDING) {
        return fail(id, `too many requests in flight (at most ${REMOTE_MAX_PENDING})`)
      }
      pending++
      void toReply(() => dispatch(method, params)).then((reply) => {
        pending--
        if (!reply.ok && reply.error.code === 'internal')
          log(`web remote: ${method} failed: ${reply.error.message}`)
        send(ws, { id, ...reply })
      })
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  server.on('error', (err) => log(`web remote: ${err.message}`))
  port = (server.address() as AddressInfo).port
  allowed = allowedHosts(host, port, opts.extraHosts)
  const shown = isWildcardHost(host) ? '127.0.0.1' : urlHost(host)
  const url = `http://${shown}:${port}/`

  let closing: Promise<void> | null = null
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const done = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const [ws, cleanup] of [...connections]) {
        cleanup()
        ws.close(RemoteCloseCode.goingAway, 'server shutting down')
        setTimeout(() => ws.terminate(), 1000).unref()
      }
      server.closeAllConnections()
      wss.close()
      await done
    })()
    return closing
  }

  return { url, loginUrl: `${url}?token=${encodeURIComponent(token)}`, port, close }
}
