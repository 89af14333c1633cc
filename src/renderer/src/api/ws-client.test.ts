// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { apiMethods, SeedlingError, seedlingErrorCodes } from '@shared/api'
import type { TorrentSummary } from '@shared/api'
import { getClient, setClient } from './index'
import type { SeedlingClient } from './index'
import type { SocketLike } from './ws-client'
import { createWsClient, defaultWsUrl } from './ws-client'

/** A WebSocket double: the test opens it, feeds it server messages and drops it. */
class FakeSocket implements SocketLike {
  static all: FakeSocket[] = []
  readyState = 0
  onopen: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number; reason: string }) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  readonly sent: Array<{ id: number; method: string; params?: unknown }> = []

  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data))
  }
  close(code = 1000): void {
    this.drop(code)
  }
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) })
  }
  drop(code = 1006): void {
    if (this.readyState === 3) return
    this.readyState = 3
    this.onclose?.({ code, reason: '' })
  }
  /** Answers the last call with `value`. */
  answer(value: unknown): void {
    const last = this.sent.at(-1)!
    this.receive({ id: last.id, ok: true, value })
  }
}

const latest = (): FakeSocket => FakeSocket.all.at(-1)!
const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await tick(5)
  }
}

function client(opts: { connectTimeoutMs?: number } = {}) {
  return createWsClient('ws://example.test/api', {
    createSocket: (url) => new FakeSocket(url),
    minDelayMs: 5,
    maxDelayMs: 20,
    ...opts,
  })
}

const summary = (infoHash: string): TorrentSummary =>
  ({ infoHash, name: infoHash.slice(0, 4) }) as TorrentSummary

afterEach(() => {
  FakeSocket.all = []
  setClient(null)
  delete (window as { seedling?: unknown }).seedling
})

describe('createWsClient', () => {
  it('has exactly the contract methods plus on', () => {
    const c = client()
    for (const m of apiMethods)
      expect(typeof (c as unknown as Record<string, unknown>)[m], m).toBe('function')
    expect(typeof c.on).toBe('function')
    expect(FakeSocket.all).toHaveLength(0) // connects on first use
    c.close()
  })

  it('queues calls until the socket opens, then matches replies by id', async () => {
    const c = client()
    const list = c.listTorrents()
    const detail = c.getTorrent({ infoHash: 'a'.repeat(40) })
    const socket = latest()
    expect(socket.url).toBe('ws://example.test/api')
    expect(socket.sent).toHaveLength(0)
    socket.open()
    expect(socket.sent).toEqual([
      { id: 1, method: 'listTorrents' },
      { id: 2, method: 'getTorrent', params: { infoHash: 'a'.repeat(40) } },
    ])
    socket.receive({
      id: 2,
      ok: false,
      error: { message: 'no torrent with that info hash', code: 'not-found' },
    })
    socket.receive({ id: 1, ok: true, value: [] })
    await expect(list).resolves.toEqual([])
    await expect(detail).rejects.toThrow('no torrent with that info hash')
    expect(c.connected).toBe(true)
    c.close()
  })

  it('rejects with a SeedlingError that keeps the code of every error', async () => {
    const c = client()
    void c.listTorrents().catch(() => undefined)
    const socket = latest()
    socket.open()
    for (const code of seedlingErrorCodes) {
      const p = c.addTorrent({ source: { kind: 'infoHash', infoHash: 'a'.repeat(40) } })
      const last = socket.sent.at(-1)!
      socket.receive({ id: last.id, ok: false, error: { message: `no: ${code}`, code } })
      const err = await p.catch((e: unknown) => e)
      expect(err).toBeInstanceOf(SeedlingError)
      expect(err).toMatchObject({ message: `no: ${code}`, code })
    }
    const future = c.getStats()
    socket.receive({ id: socket.sent.at(-1)!.id, ok: false, error: { message: 'm', code: 'new' } })
    await expect(future).rejects.toMatchObject({ code: 'internal' })
    c.close()
  })

  it('ignores garbage and replies to unknown ids', async () => {
    const c = client()
    const p = c.getSettings()
    const socket = latest()
    socket.open()
    socket.onmessage?.({ data: 'not json' })
    socket.onmessage?.({ data: new ArrayBuffer(2) })
    socket.receive({ id: 99, ok: true, value: 1 })
    socket.receive({ what: 'ever' })
    socket.answer({ port: 1 })
    await expect(p).resolves.toEqual({ port: 1 })
    c.close()
  })

  it('delivers events to listeners and stops after unsubscribe', () => {
    const c = client()
    const added: TorrentSummary[] = []
    const off = c.on('torrent:added', (t) => added.push(t))
    const socket = latest()
    socket.open()
    socket.receive({ event: 'torrent:added', payload: summary('a'.repeat(40)) })
    socket.receive({ event: 'no-such-event', payload: 1 })
    off()
    socket.receive({ event: 'torrent:added', payload: summary('b'.repeat(40)) })
    expect(added.map((t) => t.infoHash)).toEqual(['a'.repeat(40)])
    expect(() => c.on('nope' as 'stats', () => {})).toThrow(/unknown event/)
    c.close()
  })

  it('reports every open and close, however short, and stops after unsubscribe', () => {
    const c = client()
    const seen: boolean[] = []
    const off = c.onConnectionChange((up) => seen.push(up))
    void c.getStats().catch(() => undefined)
    latest().open()
    latest().drop()
    expect(seen).toEqual([true, false])
    off()
    c.close()
    expect(seen).toEqual([true, false])
  })

  it('rejects calls cut off by a disconnect, reconnects and resynchronizes listeners', async () => {
    const c = client()
    const removed: string[] = []
    const changed: TorrentSummary[][] = []
    c.on('torrent:removed', (h) => removed.push(h))
    c.on('torrents:changed', (l) => changed.push(l))
    const first = latest()
    first.open()
    const list = c.listTorrents()
    first.answer([summary('a'.repeat(40)), summary('b'.repeat(40))])
    await list
    const cut = c.pauseTorrents({ infoHashes: ['a'.repeat(40)] })
    first.drop(1001)
    await expect(cut).rejects.toThrow(
      'the Seedling server shut down before pauseTorrents was answered; it may or may not have happened',
    )
    expect(c.connected).toBe(false)
    await until(() => FakeSocket.all.length === 2, 'a reconnect attempt')
    const second = latest()
    second.drop() // the server is still down: try again later
    await until(() => FakeSocket.all.length === 3, 'another reconnect attempt')
    const third = latest()
    third.open()
    // The resync asks for the list, then tells the listeners what changed while away.
    expect(third.sent).toEqual([{ id: expect.any(Number), method: 'listTorrents' }])
    third.answer([summary('b'.repeat(40))])
    await until(() => changed.length === 1, 'the resync')
    expect(removed).toEqual(['a'.repeat(40)])
    expect(changed[0]!.map((t) => t.infoHash)).toEqual(['b'.repeat(40)])
    c.close()
  })

  it('fails a call that waits too long for a connection, and everything after close', async () => {
    const c = client({ connectTimeoutMs: 30 })
    await expect(c.getStats()).rejects.toThrow(/not connected to the Seedling server/)
    c.close()
    await expect(c.getStats()).rejects.toThrow(/closed/)
  })

  it('refuses a request larger than the server accepts without sending it', async () => {
    const c = client()
    const p = c.inspectTorrent({ kind: 'file', data: 'A'.repeat(17 * 1024 * 1024) })
    await expect(p).rejects.toThrow(/too large/)
    c.close()
  })
})

describe('getClient', () => {
  it('uses the WebSocket on the page host without window.seedling', () => {
    expect(defaultWsUrl()).toBe(`ws://${location.host}/api`)
    const c = getClient()
    expect(getClient()).toBe(c)
    expect(typeof c.listTorrents).toBe('function')
  })

  it('prefers window.seedling when the preload provides it, unwrapping its envelopes', async () => {
    const on = (): (() => void) => () => {}
    const bridge = {
      on,
      listTorrents: async () => ({ ok: true, value: [summary('a'.repeat(40))] }),
      addTorrent: async () => ({
        ok: false,
        error: { message: 'already in your list', code: 'duplicate' },
      }),
    } as unknown as NonNullable<Window['seedling']>
    window.seedling = bridge
    const c = getClient()
    expect(getClient()).toBe(c)
    expect(c.on).toBe(on)
    expect(c.desktop).toBeUndefined()
    expect(FakeSocket.all).toHaveLength(0)
    await expect(c.listTorrents()).resolves.toEqual([summary('a'.repeat(40))])
    const err = await c
      .addTorrent({ source: { kind: 'infoHash', infoHash: 'a'.repeat(40) } })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SeedlingError)
    expect(err).toMatchObject({ message: 'already in your list', code: 'duplicate' })
  })

  it('unwraps the desktop calls and keeps its subscriptions', async () => {
    const onMenuCommand = (): (() => void) => () => {}
    window.seedling = {
      on: () => () => {},
      desktop: {
        onMenuCommand,
        chooseFolder: async () => ({ ok: true, value: '/picked' }),
        revealTorrent: async () => ({ ok: false, error: { message: 'gone', code: 'not-found' } }),
      },
    } as unknown as NonNullable<Window['seedling']>
    const desktop = getClient().desktop!
    expect(desktop.onMenuCommand).toBe(onMenuCommand)
    await expect(desktop.chooseFolder({ title: 't' })).resolves.toBe('/picked')
    await expect(desktop.revealTorrent({ infoHash: 'a'.repeat(40) })).rejects.toMatchObject({
      code: 'not-found',
    })
  })

  it('can be replaced for tests', () => {
    const fake = { on: () => () => {} } as unknown as SeedlingClient
    setClient(fake)
    expect(getClient()).toBe(fake)
  })
})
