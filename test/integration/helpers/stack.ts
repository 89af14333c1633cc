/** Helpers for the webtorrent-stack patch tests: loopback-only clients, temp dirs, bounded waits. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { ClientOptions, Torrent, TorrentOptions } from 'webtorrent'
import WebTorrent from 'webtorrent'

/** Options that keep a client off every network but loopback peers we add by hand. */
export const LOOPBACK_ONLY: ClientOptions = {
  dht: false,
  lsd: false,
  natUpnp: false,
  natPmp: false,
  tracker: false,
  utPex: false,
  utp: false,
  webSeeds: false,
}

/** Tracks what a test creates so that `cleanup()` (in afterEach) destroys all of it. */
export class StackFixture {
  private readonly clients: WebTorrent[] = []
  private readonly dirs: string[] = []
  private readonly closers: Array<() => Promise<void>> = []

  async tempDir(prefix = 'seedling-stack-'): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), prefix))
    this.dirs.push(dir)
    return dir
  }

  client(opts: ClientOptions = {}): WebTorrent {
    const client = new WebTorrent({ ...LOOPBACK_ONLY, ...opts })
    // torrent errors without a torrent listener land here; tests inspect them through `errors`
    client.on('error', (err: Error) => this.clientErrors.push(err))
    this.clients.push(client)
    return client
  }

  readonly clientErrors: Error[] = []

  onCleanup(fn: () => Promise<void>): void {
    this.closers.push(fn)
  }

  async cleanup(): Promise<void> {
    for (const fn of this.closers.splice(0)) await fn().catch(() => {})
    await Promise.all(
      this.clients.splice(0).map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.destroyed) return resolve()
            const timer = setTimeout(resolve, 5_000)
            c.destroy(() => {
              clearTimeout(timer)
              resolve()
            })
          }),
      ),
    )
    for (const dir of this.dirs.splice(0)) await rm(dir, { recursive: true, force: true })
  }
}

/** Seeds `input` and resolves once the torrent is ready (its existing data hashed). */
export function seed(
  client: WebTorrent,
  input: string,
  opts: TorrentOptions & { name?: string; pieceLength?: number },
): Promise<Torrent> {
  return withTimeout(
    new Promise<Torrent>((resolve, reject) => {
      const t = client.seed(input, opts, (torrent) => resolve(torrent))
      t.once('error', reject)
    }),
    20_000,
    'seed',
  )
}

/** Adds a torrent and resolves once it is ready (verification of existing data finished). */
export function addReady(
  client: WebTorrent,
  torrentId: Parameters<WebTorrent['add']>[0],
  opts: TorrentOptions,
): Promise<Torrent> {
  return withTimeout(
    new Promise<Torrent>((resolve, reject) => {
      const t = client.add(torrentId, opts)
      t.once('ready', () => resolve(t))
      t.once('error', reject)
    }),
    20_000,
    'add',
  )
}

/** The TCP port a client listens on (after 'listening'). */
export async function listeningPort(client: WebTorrent): Promise<number> {
  if (!client.listening) {
    await withTimeout(
      new Promise<void>((resolve) => client.once('listening', () => resolve())),
      10_000,
      'listening',
    )
  }
  const addr = client.address()
  if (!addr) throw new Error('client is not listening')
  return addr.port
}

/** Polls `cond` every 25 ms until it holds or `timeoutMs` passes (then rejects). */
export async function waitFor(
  cond: () => boolean,
  timeoutMs: number,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

/** Count of set bits in the torrent's bitfield over its pieces. */
export function verifiedPieces(torrent: Torrent): number[] {
  const out: number[] = []
  for (let i = 0; i < torrent.pieces.length; i++) if (torrent.bitfield.get(i)) out.push(i)
  return out
}
