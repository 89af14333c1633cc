/**
 * The API over a WebSocket (headless `seedling serve` and the web remote), for any JavaScript host with a
 * WebSocket: the renderer in a browser (src/renderer/src/api/ws-client.ts), or Node in tests and scripts
 * (pass `createSocket` with the `ws` package to add an Authorization header). The method proxy is built from
 * the contract's `apiMethods`, so it stays in step with it. The connection comes back by itself with a
 * bounded backoff; calls sent before a disconnect are rejected with a clear message, calls made while
 * disconnected wait (bounded) for the connection, and after a reconnect the torrent list is re-sent to the
 * event listeners so a store that missed events while offline catches up.
 */
import { eventNames } from './api'
import type { EventName, SeedlingApi, SeedlingEvents, TorrentSummary } from './api'
import { createApiProxy } from './api-proxy'
import type { SeedlingEventSource } from './bridge'
import {
  REMOTE_MAX_MESSAGE_BYTES,
  RemoteCloseCode,
  RemoteServerMessageSchema,
} from './remote-protocol'
import { fromWireError } from './wire'

/** The part of the WebSocket interface the client uses (the browser's, or `ws` in Node tests). */
export interface SocketLike {
  readonly readyState: number
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number; reason: string }) => void) | null
  onerror: ((event: unknown) => void) | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

export interface RemoteClientOptions {
  createSocket?: (url: string) => SocketLike
  /** First reconnect delay; doubles on each failure up to `maxDelayMs`. */
  minDelayMs?: number
  maxDelayMs?: number
  /** How long a call made while disconnected waits for the connection before it fails. */
  connectTimeoutMs?: number
}

/** The API contract plus events (a `SeedlingClient` without the desktop API), and the connection. */
export interface RemoteClient extends SeedlingApi, SeedlingEventSource {
  /** True while the socket is open. */
  readonly connected: boolean
  /** Called with `connected` each time the socket opens or closes; returns the unsubscribe. */
  onConnectionChange(listener: (connected: boolean) => void): () => void
  /** Closes the socket for good; pending and later calls fail. */
  close(): void
}

const OPEN = 1
const MAX_WAITING = 256

type Listener = (payload: unknown) => void

interface InFlight {
  method: string
  resolve: (value: unknown) => void
  reject: (err: Error) => void
}

interface Waiting {
  send: () => void
  reject: (err: Error) => void
  timer: ReturnType<typeof setTimeout>
}

function globalSocket(url: string): SocketLike {
  return new WebSocket(url) as unknown as SocketLike
}

function closeReason(code: number): string {
  if (code === RemoteCloseCode.goingAway) return 'the Seedling server shut down'
  if (code === RemoteCloseCode.tooBig)
    return 'the Seedling server refused a message that was too large'
  if (code === RemoteCloseCode.tryAgainLater) return 'the connection fell behind and was reset'
  return 'the connection to the Seedling server was lost'
}

function byteLength(text: string): number {
  // Cheap upper bound first: one UTF-16 unit is at most 3 bytes of UTF-8.
  return text.length * 3 <= REMOTE_MAX_MESSAGE_BYTES
    ? text.length
    : new TextEncoder().encode(text).length
}

export function createRemoteClient(url: string, options: RemoteClientOptions = {}): RemoteClient {
  const target = url
  const createSocket = options.createSocket ?? globalSocket
  const minDelay = options.minDelayMs ?? 500
  const maxDelay = options.maxDelayMs ?? 10_000
  const connectTimeout = options.connectTimeoutMs ?? 15_000

  const listeners = new Map<EventName, Set<Listener>>()
  const inFlight = new Map<number, InFlight>()
  const waiting = new Set<Waiting>()
  /** Info hashes the listeners know of, so a resync can tell them what was removed meanwhile. */
  const known = new Set<string>()
  let socket: SocketLike | null = null
  let open = false
  let started = false
  let everOpened = false
  let closedForGood = false
  let failures = 0
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let nextId = 1
  const connectionListeners = new Set<(connected: boolean) => void>()
  const setOpen = (value: boolean): void => {
    if (open === value) return
    open = value
    for (const listener of [...connectionListeners]) listener(value)
  }

  function start(): void {
    if (started || closedForGood) return
    started = true
    connect()
  }

  function connect(): void {
    retryTimer = null
    if (closedForGood) return
    let s: SocketLike
    try {
      s = createSocket(target)
    } catch {
      scheduleReconnect()
      return
    }
    socket = s
    s.onopen = () => {
      if (socket !== s) return
      setOpen(true)
      failures = 0
      const isReconnect = everOpened
      everOpened = true
      for (const w of [...waiting]) {
        waiting.delete(w)
        clearTimeout(w.timer)
        w.send()
      }
      if (isReconnect) void resynchronize()
    }
    s.onmessage = (event) => {
      if (socket === s) receive(event.data)
    }
    s.onerror = () => {
      // A close event always follows; the reconnect is handled there.
    }
    s.onclose = (event) => {
      if (socket !== s) return
      socket = null
      setOpen(false)
      const reason = closeReason(event.code)
      for (const [id, call] of inFlight) {
        inFlight.delete(id)
        call.reject(
          new Error(
            `${reason} before ${call.method} was answered; it may or may not have happened`,
          ),
        )
      }
      scheduleReconnect()
    }
  }

  function scheduleReconnect(): void {
    if (closedForGood || retryTimer) return
    const base = Math.min(maxDelay, minDelay * 2 ** Math.min(failures, 16))
    failures++
    const delay = Math.round(base * (0.8 + Math.random() * 0.4))
    retryTimer = setTimeout(connect, Math.min(delay, maxDelay))
  }

  function emit(event: EventName, payload: unknown): void {
    if (event === 'torrent:added') known.add((payload as TorrentSummary).infoHash)
    else if (event === 'torrents:changed') {
      for (const t of payload as TorrentSummary[]) known.add(t.infoHash)
    } else if (event === 'torrent:removed') known.delete(payload as string)
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        listener(payload)
      } catch (err) {
        console.error(`seedling: a ${event} listener failed`, err)
      }
    }
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') return
    let parsed: unknown
    try {
      parsed = JSON.parse(data)
    } catch {
      return
    }
    const checked = RemoteServerMessageSchema.safeParse(parsed)
    if (!checked.success) return
    const message = checked.data
    if ('event' in message) {
      if (Object.prototype.hasOwnProperty.call(eventNames, message.event)) {
        emit(message.event as EventName, message.payload)
      }
      return
    }
    if (message.id === null) {
      console.warn(
        `seedling: the server could not read a message: ${message.ok ? '' : message.error.message}`,
      )
      return
    }
    const call = inFlight.get(message.id)
    if (!call) return
    inFlight.delete(message.id)
    if (message.ok) call.resolve(message.value)
    else call.reject(fromWireError(message.error))
  }

  /** After a reconnect: removed torrents are announced, then the whole list as a change. */
  async function resynchronize(): Promise<void> {
    const wantsList = (listeners.get('torrents:changed')?.size ?? 0) > 0
    const wantsRemoved = (listeners.get('torrent:removed')?.size ?? 0) > 0
    if (!wantsList && !wantsRemoved) return
    const before = [...known]
    let list: TorrentSummary[]
    try {
      list = (await call('listTorrents', undefined)) as TorrentSummary[]
    } catch {
      return // the next reconnect tries again
    }
    const present = new Set(list.map((t) => t.infoHash))
    for (const infoHash of before) if (!present.has(infoHash)) emit('torrent:removed', infoHash)
    emit('torrents:changed', list)
  }

  function call(method: string, params: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (closedForGood) {
        reject(new Error('the connection to the Seedling server is closed'))
        return
      }
      const id = nextId++
      const text = JSON.stringify(params === undefined ? { id, method } : { id, method, params })
      if (byteLength(text) > REMOTE_MAX_MESSAGE_BYTES) {
        reject(new Error(`${method}: the request is too large to send (at most 16 MiB)`))
        return
      }
      const send = (): void => {
        const s = socket
        if (!s || !open || s.readyState !== OPEN) {
          reject(new Error(`${closeReason(0)} before ${method} was sent`))
          return
        }
        inFlight.set(id, {
          method,
          resolve: (value) => {
            if (method === 'listTorrents') {
              known.clear()
              for (const t of value as TorrentSummary[]) known.add(t.infoHash)
            }
            resolve(value)
          },
          reject,
        })
        try {
          s.send(text)
        } catch (err) {
          inFlight.delete(id)
          reject(new Error(`${method} could not be sent: ${(err as Error).message}`))
        }
      }
      if (open) {
        send()
        return
      }
      if (waiting.size >= MAX_WAITING) {
        reject(new Error('not connected to the Seedling server, and too many calls are waiting'))
        return
      }
      const entry: Waiting = {
        send,
        reject,
        timer: setTimeout(() => {
          waiting.delete(entry)
          reject(new Error(`not connected to the Seedling server (${method} gave up waiting)`))
        }, connectTimeout),
      }
      waiting.add(entry)
      start()
    })
  }

  const client: RemoteClient = {
    ...createApiProxy(call),
    on<K extends EventName>(event: K, listener: (payload: SeedlingEvents[K]) => void): () => void {
      if (!Object.prototype.hasOwnProperty.call(eventNames, event)) {
        throw new Error(`unknown event ${String(event)}`)
      }
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      const wrapped: Listener = (payload) => listener(payload as SeedlingEvents[K])
      set.add(wrapped)
      start()
      return () => {
        set.delete(wrapped)
      }
    },
    get connected(): boolean {
      return open
    },
    onConnectionChange(listener: (connected: boolean) => void): () => void {
      connectionListeners.add(listener)
      return () => {
        connectionListeners.delete(listener)
      }
    },
    close(): void {
      closedForGood = true
      if (retryTimer) clearTimeout(retryTimer)
      retryTimer = null
      for (const w of [...waiting]) {
        waiting.delete(w)
        clearTimeout(w.timer)
        w.reject(new Error('the connection to the Seedling server is closed'))
      }
      const s = socket
      socket = null
      setOpen(false)
      for (const [id, c] of inFlight) {
        inFlight.delete(id)
        c.reject(new Error(`the connection was closed before ${c.method} was answered`))
      }
      s?.close(1000, 'client closed')
    },
  }
  return client
}
