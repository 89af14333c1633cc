// transmission-daemon for the benches: like test/interop/harness/transmission.ts (same loopback-only
// settings: DHT, LPD, PEX and port forwarding off), but its config folder outlives the process, so the
// same session can be started again to time a restart, and torrents are listed in bulk.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { getFreePort } from '../test/interop/harness/ports'
import { spawnTracked } from '../test/interop/harness/proc'
import type { TrackedProcess } from '../test/interop/harness/proc'
import { transmissionSettings } from '../test/interop/harness/transmission'

export const TR_SEEDING = 6
const TR_CHECKING = new Set([1, 2])

export interface TrState {
  hashString: string
  status: number
  percentDone: number
  error: number
  errorString: string
}

export class BenchTransmission {
  private sessionId = ''

  private constructor(
    readonly configDir: string,
    private readonly rpcPort: number,
    readonly proc: TrackedProcess,
  ) {}

  get pid(): number {
    if (this.proc.pid === undefined) throw new Error('transmission-daemon has no pid')
    return this.proc.pid
  }

  /** Writes settings.json into a new `configDir` (first start) or reuses what is there (restart). */
  static async start(configDir: string, fresh: boolean): Promise<BenchTransmission> {
    const rpcPort = await getFreePort()
    if (fresh) {
      await mkdir(configDir, { recursive: true })
      const settings = transmissionSettings({
        rpcPort,
        peerHost: '127.0.0.1',
        peerPort: await getFreePort(),
        downloadDir: join(configDir, 'downloads'),
        encryption: 1,
        utp: false,
      })
      await writeFile(join(configDir, 'settings.json'), JSON.stringify(settings, null, 2))
    }
    // -t/-p on the command line win over settings.json, so a restart gets a port known to be free.
    const proc = spawnTracked(
      'transmission-daemon',
      'transmission-daemon',
      ['-f', '-g', configDir, '-p', String(rpcPort)],
      { cwd: configDir, env: { ...process.env, HOME: configDir } },
    )
    const tr = new BenchTransmission(configDir, rpcPort, proc)
    for (let i = 0; i < 200; i++) {
      if (
        await tr.rpc('session-get').then(
          () => true,
          () => false,
        )
      )
        return tr
      if (!proc.running) break
      await new Promise((r) => setTimeout(r, 50))
    }
    await proc.stop()
    throw new Error(`transmission-daemon did not answer its RPC\n${proc.describe(20)}`)
  }

  async rpc<T = Record<string, unknown>>(method: string, args: object = {}): Promise<T> {
    const url = `http://127.0.0.1:${this.rpcPort}/transmission/rpc`
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Transmission-Session-Id': this.sessionId,
        },
        body: JSON.stringify({ method, arguments: args }),
        signal: AbortSignal.timeout(30_000),
      })
      if (res.status === 409) {
        this.sessionId = res.headers.get('X-Transmission-Session-Id') ?? ''
        await res.body?.cancel()
        continue
      }
      const json = (await res.json()) as { result: string; arguments?: T }
      if (json.result !== 'success') throw new Error(`transmission ${method}: ${json.result}`)
      return (json.arguments ?? {}) as T
    }
    throw new Error(`transmission ${method}: no session id after a 409`)
  }

  async add(metainfo: Buffer, downloadDir: string): Promise<void> {
    await this.rpc('torrent-add', {
      metainfo: metainfo.toString('base64'),
      'download-dir': downloadDir,
    })
  }

  async list(): Promise<TrState[]> {
    const fields = ['hashString', 'status', 'percentDone', 'error', 'errorString']
    return (await this.rpc<{ torrents: TrState[] }>('torrent-get', { fields })).torrents
  }

  /** Polls (5 Hz) until `count` torrents are complete and seeding; the time it took in ms. */
  async waitSeeding(count: number, timeoutMs: number): Promise<number> {
    const t0 = performance.now()
    for (;;) {
      const list = await this.list().catch(() => [])
      const failed = list.find((t) => t.error === 3) // 3: a local (disk) error; 1, 2 are tracker ones
      if (failed) throw new Error(`transmission: ${failed.hashString}: ${failed.errorString}`)
      const done = list.filter((t) => t.status === TR_SEEDING && t.percentDone === 1).length
      if (done >= count) return performance.now() - t0
      if (performance.now() - t0 > timeoutMs)
        throw new Error(`transmission: ${done}/${count} seeding`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }

  /** Starts a verify of one torrent and times it until it is seeding again (polled at 20 Hz). */
  async verify(hash: string, timeoutMs: number): Promise<number> {
    const t0 = performance.now()
    await this.rpc('torrent-verify', { ids: [hash] })
    let checking = false
    for (;;) {
      const t = (await this.list()).find((x) => x.hashString === hash)
      if (t && TR_CHECKING.has(t.status)) checking = true
      else if (checking && t?.status === TR_SEEDING && t.percentDone === 1)
        return performance.now() - t0
      if (performance.now() - t0 > timeoutMs) throw new Error('transmission: verify did not finish')
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  /** Asks the daemon to close (it saves its resume files) and waits for it to exit. */
  async stop(): Promise<void> {
    await this.rpc('session-close').catch(() => undefined)
    const exit = await Promise.race([this.proc.exited, new Promise((r) => setTimeout(r, 15_000))])
    if (!exit) await this.proc.stop()
  }
}
