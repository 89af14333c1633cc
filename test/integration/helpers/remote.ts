/**
 * Test clients for the web remote (src/main/remote): raw HTTP with any Host / Cookie / Authorization, and a
 * WebSocket peer speaking the wire protocol, with every wait bounded. Loopback only.
 */
import http from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'

export interface HttpResult {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** One request to 127.0.0.1:port with the path sent exactly as given (no client-side normalization). */
export function request(
  port: number,
  rawPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: rawPath,
        method,
        headers: { host: `127.0.0.1:${port}`, ...headers },
        agent: false,
        timeout: 5000,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`request ${rawPath} timed out`)))
    req.on('error', reject)
    req.end()
  })
}

export type WsOpenResult = { ok: true; ws: WebSocket } | { ok: false; status: number }

/** Opens a WebSocket; resolves with the refusal status instead of throwing when the upgrade is refused. */
export function openWs(
  url: string,
  opts: { headers?: Record<string, string>; origin?: string } = {},
): Promise<WsOpenResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: opts.headers,
      origin: opts.origin,
      handshakeTimeout: 5000,
      maxPayload: 64 * 1024 * 1024,
    })
    ws.once('open', () => resolve({ ok: true, ws }))
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ok: false, status: res.statusCode ?? 0 })
      res.resume()
      ws.terminate()
    })
    ws.once('error', (err) => reject(err))
  })
}

type Message = Record<string, unknown>

/** A protocol-level client: numbered calls, replies matched by id, events kept for `nextEvent`. */
export class WsPeer {
  private nextId = 1
  private readonly replies = new Map<number | null, Message[]>()
  readonly events: Message[] = []
  private readonly waiters = new Set<() => void>()
  closed: { code: number; reason: string } | null = null

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as Message
      if ('event' in message) this.events.push(message)
      else {
        const id = message.id as number | null
        this.replies.set(id, [...(this.replies.get(id) ?? []), message])
      }
      this.wake()
    })
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() }
      this.wake()
    })
  }

  private wake(): void {
    for (const w of [...this.waiters]) w()
  }

  /** Waits (bounded) until `check` returns something. */
  async until<T>(check: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
    const found = check()
    if (found !== undefined) return found
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter)
        reject(new Error(`timed out waiting for ${what}`))
      }, timeoutMs)
      const waiter = (): void => {
        const value = check()
        if (value === undefined) return
        clearTimeout(timer)
        this.waiters.delete(waiter)
        resolve(value)
      }
      this.waiters.add(waiter)
    })
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data)
  }

  reply(id: number | null, timeoutMs?: number): Promise<Message> {
    return this.until(() => this.replies.get(id)?.shift(), `reply ${id}`, timeoutMs)
  }

  async call(method: string, params?: unknown): Promise<Message> {
    const id = this.nextId++
    this.ws.send(JSON.stringify({ id, method, params }))
    return this.reply(id)
  }

  nextEvent(name: string, timeoutMs?: number): Promise<Message> {
    return this.until(
      () => {
        const i = this.events.findIndex((e) => e.event === name)
        return i < 0 ? undefined : this.events.splice(i, 1)[0]
      },
      `event ${name}`,
      timeoutMs,
    )
  }

  waitClosed(timeoutMs?: number): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed ?? undefined, 'close', timeoutMs)
  }

  close(): void {
    this.ws.terminate()
  }
}

/** A stand-in for out/renderer: index.html and one asset, plus a secret outside it and a symlink to it. */
export async function fakeRenderer(): Promise<{
  root: string
  rendererDir: string
  secret: string
}> {
  const root = await mkdtemp(path.join(tmpdir(), 'seedling-remote-'))
  const rendererDir = path.join(root, 'renderer')
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true })
  await writeFile(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><title>Seedling</title><script type="module" src="/assets/app.js"></script>',
  )
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log("seedling")\n')
  await writeFile(path.join(rendererDir, 'assets', 'style.css'), 'body{}\n')
  await writeFile(path.join(rendererDir, '.env'), 'HIDDEN=1\n')
  const secret = 'TOP-SECRET-CONTENTS'
  await writeFile(path.join(root, 'secret.txt'), secret)
  await writeFile(path.join(root, 'package.json'), `{"secret":"${secret}"}`)
  await symlink(path.join(root, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'))
  return { root, rendererDir, secret }
}
