/**
 * Host client and host server wired back to back over in-memory channels (no processes): the protocol,
 * error mapping, events, timeouts, crash handling and bounded restarts. The real fork is covered by
 * test/integration/engine-host.test.ts.
 */
import { describe, expect, it, vi } from 'vitest'
import type { SeedlingErrorCode, SeedlingEvents, TorrentSummary } from '@shared/api'
import { apiMethods, SeedlingError, seedlingErrorCodes } from '@shared/api'
import { TypedEmitter } from '../engine/typed-emitter'
import type { HostChannel, HostStatus } from './host-client'
import { EngineHostClient } from './host-client'
import type { HostedEngine } from './host-server'
import { runHostServer } from './host-server'

class FakeEngine extends TypedEmitter<SeedlingEvents> {
  torrents: TorrentSummary[] = []
  closed = false
  hang = false
  failWith: SeedlingErrorCode = 'invalid'
  async recheckTorrent(): Promise<never> {
    throw new SeedlingError(`refused with ${this.failWith}`, this.failWith)
  }
  async listTorrents(): Promise<TorrentSummary[]> {
    if (this.hang) return new Promise(() => undefined)
    return this.torrents
  }
  async getStats(): Promise<never> {
    throw new Error('disk on fire')
  }
  async pauseTorrents(): Promise<void> {
    this.fire('torrent:removed', 'x'.repeat(40))
  }
  fire<K extends keyof SeedlingEvents>(event: K, payload: SeedlingEvents[K]): void {
    this.emit(event, payload)
  }
  dataPath(infoHash: string): string {
    return `/data/${infoHash}`
  }
  async close(): Promise<void> {
    this.closed = true
  }
}

interface Proc {
  channel: HostChannel
  engine: FakeEngine | null
  die(reason: string): void
  exitCode: number | null
}

/** A "process": host server on one side, a HostChannel on the other, messages cloned across. */
function spawnFake(opts: { failOpen?: boolean; sessions: TorrentSummary[] }): Proc {
  let toHost: ((m: unknown) => void) | null = null
  const toClient: Array<(m: unknown) => void> = []
  const exits: Array<(r: string) => void> = []
  let dead: string | null = null
  const proc: Proc = {
    engine: null,
    exitCode: null,
    die(reason) {
      if (dead) return
      dead = reason
      for (const l of exits) l(reason)
    },
    channel: {
      postMessage: (m) => {
        if (dead) throw new Error('channel closed')
        const copy = structuredClone(m)
        queueMicrotask(() => toHost?.(copy))
      },
      onMessage: (l) => void toClient.push(l),
      onExit: (l) => (dead ? l(dead) : void exits.push(l)),
      kill: () => proc.die('killed by SIGKILL'),
    },
  }
  runHostServer(
    {
      postMessage: (m) => {
        if (dead) return
        const copy = structuredClone(m)
        queueMicrotask(() => toClient.forEach((l) => l(copy)))
      },
      onMessage: (l) => (toHost = l),
    },
    {
      openEngine: async () => {
        if (opts.failOpen) throw new SeedlingError('state folder is not writable', 'io')
        const e = new FakeEngine()
        e.torrents = opts.sessions
        proc.engine = e
        return e as unknown as HostedEngine
      },
      exit: (code) => {
        proc.exitCode = code
        proc.die(`exit code ${code}`)
      },
    },
  )
  return proc
}

const summary = { infoHash: 'a'.repeat(40), name: 'kept' } as TorrentSummary

async function start(extra: Partial<Parameters<typeof EngineHostClient.start>[0]> = {}) {
  const procs: Proc[] = []
  const client = await EngineHostClient.start({
    spawn: () => {
      const p = spawnFake({ sessions: [summary] })
      procs.push(p)
      return p.channel
    },
    options: { stateDir: '/state', defaultDownloadDir: '/dl' },
    backoffMs: () => 1,
    ...extra,
  })
  return { client, procs }
}

describe('EngineHostClient over the host protocol', () => {
  it('round-trips calls and events, and resolves data paths in the host', async () => {
    const { client, procs } = await start()
    expect(await client.listTorrents()).toEqual([summary])
    const removed = new Promise((r) => client.once('torrent:removed', r))
    await client.pauseTorrents({ infoHashes: [] })
    expect(await removed).toBe('x'.repeat(40))
    expect(await client.dataPath('b'.repeat(40))).toBe(`/data/${'b'.repeat(40)}`)
    await client.close()
    expect(procs[0]!.engine!.closed).toBe(true)
    expect(procs[0]!.exitCode).toBe(0)
  })

  it('returns validation and engine errors as clear messages', async () => {
    const { client } = await start()
    const invalid = await client.getTorrent({ infoHash: 'zz' }).catch((e: unknown) => e)
    expect(invalid).toBeInstanceOf(SeedlingError)
    expect((invalid as SeedlingError).code).toBe('invalid')
    expect((invalid as SeedlingError).message).toBe(
      'invalid getTorrent request at infoHash: an info hash is 40 lowercase hex characters',
    )
    await expect(client.getStats()).rejects.toMatchObject({
      message: 'internal error: disk on fire',
      code: 'internal',
    })
    await expect(client.dataPath('../etc')).rejects.toThrow('invalid dataPath request')
    await client.close()
  })

  it('has every method of the contract, generated', async () => {
    const { client } = await start()
    for (const method of apiMethods) expect(typeof client[method], method).toBe('function')
    await client.close()
  })

  it('keeps the code of every SeedlingError the engine throws', async () => {
    const { client, procs } = await start()
    for (const code of seedlingErrorCodes) {
      procs[0]!.engine!.failWith = code
      const err = await client.recheckTorrent({ infoHash: 'c'.repeat(40) }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(SeedlingError)
      expect(err).toMatchObject({ message: `refused with ${code}`, code })
    }
    await client.close()
  })

  it('fails to start with the reason when the engine cannot open', async () => {
    await expect(
      EngineHostClient.start({
        spawn: () => spawnFake({ failOpen: true, sessions: [] }).channel,
        options: { stateDir: '/state', defaultDownloadDir: '/dl' },
      }),
    ).rejects.toThrow('state folder is not writable')
  })

  it('times out calls that never return', async () => {
    const { client, procs } = await start({ callTimeoutMs: 30 })
    procs[0]!.engine!.hang = true
    await expect(client.listTorrents()).rejects.toThrow('listTorrents timed out')
    await client.close()
  })

  it('rejects pending calls when the host dies, restarts it and reports it', async () => {
    const { client, procs } = await start()
    procs[0]!.engine!.hang = true
    const statuses: HostStatus[] = []
    client.on('host:status', (s) => statuses.push(s))
    const restarted = new Promise<HostStatus>((r) => client.once('host:restarted', r))
    const pending = client.listTorrents()
    await new Promise((r) => setTimeout(r, 5))
    procs[0]!.die('killed by SIGKILL')
    await expect(pending).rejects.toThrow('the engine stopped unexpectedly (killed by SIGKILL)')
    expect(await restarted).toEqual({ state: 'running', reason: 'killed by SIGKILL', restarts: 1 })
    expect(statuses.map((s) => s.state)).toEqual(['restarting', 'running'])
    expect(await client.listTorrents()).toEqual([summary])
    expect(procs).toHaveLength(2)
    await client.close()
  })

  it('calls made while restarting wait for the new host', async () => {
    const { client, procs } = await start({ backoffMs: () => 20 })
    procs[0]!.die('exit code 1')
    await expect(client.listTorrents()).resolves.toEqual([summary])
    await client.close()
  })

  it('gives up after too many restarts within the window', async () => {
    let now = 0
    const { client, procs } = await start({ maxRestarts: 2, restartWindowMs: 1000, now: () => now })
    const failed = new Promise<HostStatus>((r) => client.once('host:failed', r))
    for (let i = 0; i < 2; i++) {
      const back = new Promise((r) => client.once('host:restarted', r))
      procs[procs.length - 1]!.die('exit code 134')
      await back
      now += 10
    }
    procs[procs.length - 1]!.die('exit code 134')
    expect(await failed).toEqual({ state: 'failed', reason: 'exit code 134', restarts: 2 })
    await expect(client.listTorrents()).rejects.toThrow('could not be restarted')
    expect(procs).toHaveLength(3)
  })

  it('restarts are counted per window: old ones expire', async () => {
    let now = 0
    const { client, procs } = await start({ maxRestarts: 1, restartWindowMs: 1000, now: () => now })
    for (let i = 0; i < 3; i++) {
      const back = new Promise((r) => client.once('host:restarted', r))
      procs[procs.length - 1]!.die('exit code 1')
      await back
      now += 2000
    }
    expect(client.status.state).toBe('running')
    await client.close()
  })

  it('does not restart after close, and later calls fail clearly', async () => {
    const { client, procs } = await start()
    const spawn = vi.fn()
    client.on('host:restarted', spawn)
    await client.close()
    expect(procs[0]!.exitCode).toBe(0)
    await expect(client.listTorrents()).rejects.toThrow('the engine has stopped')
    expect(spawn).not.toHaveBeenCalled()
  })
})
