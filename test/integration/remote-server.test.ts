/**
 * The web remote over a real engine (loopback only): calls through the shared dispatcher, events, and the
 * shared remote client (the renderer's WebSocket transport) (driven from Node with `ws`) including a server restart.
 */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { makeTorrentFixture } from '../support/torrent-builder'
import type { TorrentFixture } from '../support/torrent-builder'
import { createDispatcher } from '../../src/main/api-dispatch'
import type { TorrentEngine } from '../../src/main/engine/engine'
import type { RemoteServer } from '../../src/main/remote/server'
import { startRemoteServer } from '../../src/main/remote/server'
import type { AddTorrentResult, TorrentSummary } from '../../src/shared/api'
import { createRemoteClient } from '../../src/shared/remote-client'
import type { RemoteClient, SocketLike } from '../../src/shared/remote-client'
import { openEngine, tempDir } from './helpers/engines'
import { fakeRenderer, openWs, WsPeer } from './helpers/remote'

const TOKEN = 'integration-token-abcdefghijklmnop'
const bearer = { authorization: `Bearer ${TOKEN}` }

let engine: TorrentEngine
let server: RemoteServer
let dir: string
let rendererRoot: string
let rendererDir: string
let fixture: TorrentFixture
const closers: Array<() => unknown> = []

async function start(port = 0): Promise<RemoteServer> {
  return startRemoteServer({
    engine,
    dispatch: createDispatcher(engine),
    host: '127.0.0.1',
    port,
    token: TOKEN,
    rendererDir,
  })
}

async function connect(): Promise<WsPeer> {
  const opened = await openWs(`ws://127.0.0.1:${server.port}/api`, { headers: bearer })
  if (!opened.ok) throw new Error(`refused with ${opened.status}`)
  const peer = new WsPeer(opened.ws)
  closers.push(() => peer.close())
  return peer
}

/** The renderer's client, with `ws` standing in for the browser's WebSocket (plus the bearer header). */
function nodeClient(port: number): RemoteClient {
  const client = createRemoteClient(`ws://127.0.0.1:${port}/api`, {
    createSocket: (url) => new WebSocket(url, { headers: bearer }) as unknown as SocketLike,
    minDelayMs: 50,
    maxDelayMs: 200,
    connectTimeoutMs: 5000,
  })
  closers.push(() => client.close())
  return client
}

async function waitFor<T>(check: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

beforeAll(async () => {
  dir = await tempDir('remote')
  const fake = await fakeRenderer()
  rendererRoot = fake.root
  rendererDir = fake.rendererDir
  fixture = await makeTorrentFixture({
    dir: path.join(dir, 'fixture'),
    name: 'Remote <img src=x onerror=alert(1)> fixture',
    files: [{ path: 'a.bin', size: 40_000 }],
    pieceLength: 16_384,
  })
  engine = await openEngine(path.join(dir, 'state'), path.join(dir, 'downloads'))
  server = await start()
})

afterAll(async () => {
  for (const close of closers.splice(0)) await close()
  await server?.close()
  await engine?.close()
  await rm(dir, { recursive: true, force: true })
  await rm(rendererRoot, { recursive: true, force: true })
})

describe('web remote over a real engine', () => {
  it('lists torrents', async () => {
    const peer = await connect()
    expect(await peer.call('listTorrents')).toEqual({ id: 1, ok: true, value: [] })
  })

  it('refuses a bad torrent with a clear message and adds nothing', async () => {
    const peer = await connect()
    const data = Buffer.from('this is not a torrent').toString('base64')
    const reply = await peer.call('addTorrent', { source: { kind: 'file', data } })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid' } })
    const { message } = reply.error as { message: string }
    expect(message).toMatch(/torrent|bencod/i)
    expect(message).not.toMatch(/internal error|\n|at .*\.ts/)
    const bad = await peer.call('addTorrent', { source: { kind: 'file', data: '%%%' } })
    expect(bad).toMatchObject({
      ok: false,
      error: { message: /^invalid addTorrent request at source\.data/, code: 'invalid' },
    })
    expect(await peer.call('listTorrents')).toMatchObject({ ok: true, value: [] })
  })

  it('adds a torrent and pushes torrent:added to every connection', async () => {
    const adder = await connect()
    const watcher = await connect()
    const data = Buffer.from(fixture.torrentBuffer).toString('base64')
    const reply = await adder.call('addTorrent', {
      source: { kind: 'file', data },
      downloadDir: fixture.dataDir,
    })
    expect(reply.ok).toBe(true)
    const result = reply.value as AddTorrentResult
    expect(result).toMatchObject({ duplicate: false, torrent: { infoHash: fixture.infoHash } })
    const event = await watcher.nextEvent('torrent:added')
    expect(event.payload).toMatchObject({ infoHash: fixture.infoHash, name: result.torrent.name })
    expect(result.torrent.name).toMatch(/^Remote .*img src=x onerror=alert\(1\).* fixture$/)
    const list = await watcher.call('listTorrents')
    expect((list.value as TorrentSummary[]).map((t) => t.infoHash)).toEqual([fixture.infoHash])
    await watcher.nextEvent('torrents:changed')
  })
})

describe('the renderer WebSocket client against the server', () => {
  it('calls, reports errors, receives events and comes back after a restart', async () => {
    const client = nodeClient(server.port)
    const changed: TorrentSummary[][] = []
    const removed: string[] = []
    client.on('torrents:changed', (list) => changed.push(list))
    client.on('torrent:removed', (infoHash) => removed.push(infoHash))
    const list = await client.listTorrents()
    expect(list.map((t) => t.infoHash)).toEqual([fixture.infoHash])
    expect(client.connected).toBe(true)
    await expect(client.getTorrent({ infoHash: 'nope' })).rejects.toThrow(
      /^invalid getTorrent request at infoHash/,
    )
    await expect(
      client.addTorrent({ source: { kind: 'file', data: Buffer.from('junk').toString('base64') } }),
    ).rejects.toThrow(/torrent|bencod/i)

    // Restart the server on the same port; the torrent is removed while the client is away.
    const port = server.port
    // Whatever is in flight when the server goes is rejected (or was answered just before).
    const inFlight = client.createTorrent({ requestId: 'x', path: '/definitely/not/here' }).then(
      () => 'answered',
      (err: Error) => err.message,
    )
    await server.close()
    expect(await inFlight).toMatch(/shut down before createTorrent|not here|no such|not found/i)
    expect(client.connected).toBe(false)
    await engine.removeTorrent({ infoHash: fixture.infoHash, deleteData: false })
    changed.length = 0
    server = await start(port)
    await waitFor(() => (client.connected ? true : undefined), 'reconnect')
    // The resync tells the listeners what they missed.
    await waitFor(() => (removed.includes(fixture.infoHash) ? true : undefined), 'resync removal')
    await waitFor(() => changed.find((l) => l.length === 0), 'resync list')
    expect(await client.listTorrents()).toEqual([])
  })

  it('fails calls that cannot reach a server within the connect timeout', async () => {
    const client = createRemoteClient('ws://127.0.0.1:9/api', {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      minDelayMs: 20,
      maxDelayMs: 50,
      connectTimeoutMs: 300,
    })
    closers.push(() => client.close())
    await expect(client.listTorrents()).rejects.toThrow(/not connected to the Seedling server/)
    client.close()
    await expect(client.listTorrents()).rejects.toThrow(/closed/)
  })
})
