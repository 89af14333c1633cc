/**
 * The parent side of engine hosting: implements the API contract over a message channel to the engine host
 * process, re-emits its events, times out calls that never return, rejects pending calls when the host
 * dies, and restarts it with a bounded backoff. The channel is generic, so Node's `child_process.fork`
 * (tests, CLI) and Electron's `utilityProcess.fork` (the app) are one swap.
 */
import type { ApiMethod, SeedlingApi, SeedlingEvents } from '@shared/api'
import { SeedlingError } from '@shared/api'
import { createApiProxy } from '@shared/api-proxy'
import { fromWireError } from '@shared/wire'
import { TypedEmitter } from '../engine/typed-emitter'
import type { RestartBudget } from '../desktop/restart-budget'
import { freshBudget, hostDied, hostUp } from '../desktop/restart-budget'
import type { HostOptions, HostRequest } from './protocol'
import { hostMethods, isHostEvent, isHostLog, isHostReply } from './protocol'

/** One running host process, as the client sees it. */
export interface HostChannel {
  postMessage(msg: HostRequest): void
  onMessage(listener: (msg: unknown) => void): void
  /** Called once when the process is gone, however it ended. */
  onExit(listener: (reason: string) => void): void
  kill(): void
}

export type SpawnHost = () => HostChannel

export type { HostState, HostStatus } from '@shared/desktop-api'
import type { HostState, HostStatus } from '@shared/desktop-api'

export interface HostClientEvents extends SeedlingEvents {
  /** The host died and was started again; the session was reopened from disk. */
  'host:restarted': HostStatus
  /** The host died too often; it is not restarted again. */
  'host:failed': HostStatus
  /** Every state change, for a status line. */
  'host:status': HostStatus
}

export interface HostClientOptions {
  spawn: SpawnHost
  options: HostOptions
  /** Per-call timeout; createTorrent (hashing) and host start/stop have their own. */
  callTimeoutMs?: number
  createTimeoutMs?: number
  initTimeoutMs?: number
  closeTimeoutMs?: number
  /**
   * At most this many restarts in a row; then the host is given up. A host that has been up for
   * `restartWindowMs` is stable: the failures before it are forgotten (see desktop/restart-budget).
   */
  maxRestarts?: number
  restartWindowMs?: number
  backoffMs?: (attempt: number) => number
  log?: (message: string) => void
  now?: () => number
}

interface Pending {
  method: string
  resolve(value: unknown): void
  reject(err: Error): void
  timer: NodeJS.Timeout | null
}

const defaultBackoff = (attempt: number): number => Math.min(250 * 2 ** (attempt - 1), 5_000)

/**
 * An emitter whose instances also carry the contract's methods. They are not declared one by one: the
 * constructor assigns them from `createApiProxy`, so the type is stated here once for all of them.
 */
const EmitterWithApi = TypedEmitter as new () => TypedEmitter<HostClientEvents> & SeedlingApi

export class EngineHostClient extends EmitterWithApi {
  private channel: HostChannel | null = null
  private generation = 0
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private ready: Promise<void>
  private budget: RestartBudget = freshBudget
  private restartTimer: NodeJS.Timeout | null = null
  private current: HostStatus = { state: 'starting', reason: null, restarts: 0 }
  private readonly opts: Required<Omit<HostClientOptions, 'log'>> & Pick<HostClientOptions, 'log'>

  private constructor(opts: HostClientOptions) {
    super()
    this.opts = {
      callTimeoutMs: 60_000,
      createTimeoutMs: 24 * 3600_000,
      initTimeoutMs: 120_000,
      closeTimeoutMs: 30_000,
      maxRestarts: 5,
      restartWindowMs: 60_000,
      backoffMs: defaultBackoff,
      now: Date.now,
      ...opts,
    }
    Object.assign(
      this,
      createApiProxy((method, params) => this.call(method, params)),
    )
    this.ready = this.launch()
  }

  /** Spawns the host and opens the engine in it; rejects when the first start fails. */
  static async start(opts: HostClientOptions): Promise<EngineHostClient> {
    const client = new EngineHostClient(opts)
    try {
      await client.ready
    } catch (err) {
      client.stopNow()
      throw err
    }
    return client
  }

  get status(): HostStatus {
    return { ...this.current }
  }

  private setStatus(state: HostState, reason = this.current.reason): void {
    this.current = { state, reason, restarts: this.budget.failures }
    this.emit('host:status', this.status)
  }

  private launch(): Promise<void> {
    const gen = ++this.generation
    const channel = this.opts.spawn()
    this.channel = channel
    channel.onMessage((msg) => {
      if (gen === this.generation) this.onMessage(msg)
    })
    channel.onExit((reason) => {
      if (gen === this.generation) this.onExit(reason)
    })
    return this.send(hostMethods.init, this.opts.options, this.opts.initTimeoutMs).then(() => {
      if (gen !== this.generation) return
      this.budget = hostUp(this.budget, this.opts.now())
      this.setStatus('running')
    })
  }

  private onMessage(msg: unknown): void {
    if (isHostReply(msg)) {
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (p.timer) clearTimeout(p.timer)
      if (msg.ok) p.resolve(msg.value)
      else p.reject(fromWireError(msg.error))
    } else if (isHostEvent(msg)) {
      this.emit(msg.event, msg.payload as never)
    } else if (isHostLog(msg)) {
      this.opts.log?.(msg.log)
    }
  }

  private onExit(reason: string): void {
    this.channel = null
    const stopping = this.current.state === 'stopped'
    const err = new SeedlingError(
      stopping ? 'the engine has stopped' : `the engine stopped unexpectedly (${reason})`,
      'internal',
    )
    this.rejectAll(err)
    if (stopping) return
    this.opts.log?.(`engine host exited: ${reason}`)
    const decision = hostDied(this.budget, this.opts.now(), {
      maxRestarts: this.opts.maxRestarts,
      stableMs: this.opts.restartWindowMs,
    })
    this.budget = decision.budget
    if (decision.action === 'give-up') {
      this.setStatus('failed', reason)
      this.ready = Promise.reject(
        new SeedlingError(`the engine stopped and could not be restarted (${reason})`, 'internal'),
      )
      this.ready.catch(() => undefined)
      this.emit('host:failed', this.status)
      return
    }
    this.setStatus('restarting', reason)
    const delay = this.opts.backoffMs(decision.attempt)
    this.ready = new Promise<void>((resolve, reject) => {
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null
        if (this.current.state === 'stopped') return reject(err)
        this.launch().then(
          () => {
            this.emit('host:restarted', this.status)
            resolve()
          },
          (e: Error) => {
            // A failed start ends in an exit (killed below), which schedules the next attempt.
            this.channel?.kill()
            reject(e)
          },
        )
      }, delay)
    })
    // Callers wait on `ready`; a restart that fails is reported through the next exit.
    this.ready.catch(() => undefined)
  }

  private rejectAll(err: Error): void {
    for (const p of this.pending.values()) {
      if (p.timer) clearTimeout(p.timer)
      p.reject(err)
    }
    this.pending.clear()
  }

  private send(method: string, params: unknown, timeoutMs: number): Promise<unknown> {
    const channel = this.channel
    if (!channel) return Promise.reject(new SeedlingError('the engine is not running', 'internal'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              this.pending.delete(id)
              reject(
                new SeedlingError(
                  `${method} timed out after ${Math.round(timeoutMs / 1000)} s`,
                  'internal',
                ),
              )
            }, timeoutMs)
          : null
      this.pending.set(id, { method, resolve, reject, timer })
      try {
        channel.postMessage({ id, method, params })
      } catch (err) {
        this.pending.delete(id)
        if (timer) clearTimeout(timer)
        reject(
          new SeedlingError(`the engine is not reachable: ${(err as Error).message}`, 'internal'),
        )
      }
    })
  }

  /** Waits for a running host (through a restart if one is under way), then sends. */
  private async call(method: ApiMethod | string, params?: unknown): Promise<unknown> {
    if (this.current.state === 'stopped')
      throw new SeedlingError('the engine has stopped', 'internal')
    await this.ready
    const timeout = method === 'createTorrent' ? this.opts.createTimeoutMs : this.opts.callTimeoutMs
    return this.send(method, params, timeout)
  }

  /** The folder a torrent's data lives in; resolved by the engine, never taken from a renderer. */
  async dataPath(infoHash: string): Promise<string> {
    return (await this.call(hostMethods.dataPath, { infoHash })) as string
  }

  /** Closes the engine cleanly (session saved), then ends the host; kills it if it does not end. */
  async close(): Promise<void> {
    if (this.current.state === 'stopped') return
    const wasRunning = this.current.state === 'running'
    if (this.restartTimer) clearTimeout(this.restartTimer)
    this.restartTimer = null
    const channel = this.channel
    this.setStatus('stopped')
    if (!channel) return
    const exited = new Promise<void>((resolve) => channel.onExit(() => resolve()))
    try {
      if (wasRunning) await this.send(hostMethods.close, undefined, this.opts.closeTimeoutMs)
    } catch (err) {
      this.opts.log?.(`engine host did not close cleanly: ${(err as Error).message}`)
    }
    const timer = setTimeout(() => channel.kill(), 5_000)
    await exited
    clearTimeout(timer)
  }

  private stopNow(): void {
    this.setStatus('stopped')
    if (this.restartTimer) clearTimeout(this.restartTimer)
    this.channel?.kill()
    this.channel = null
  }
}
