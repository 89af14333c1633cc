/**
 * The child side of engine hosting: opens the engine on `host:init`, dispatches every request through the
 * shared API dispatcher, forwards engine events, and closes the engine on `host:close` or when the parent
 * goes away. It knows nothing of how messages travel (Node IPC or an Electron parent port).
 */
import type { Dispatch } from '../api-dispatch'
import { createDispatcher } from '../api-dispatch'
import type { SeedlingApi, SeedlingEvents } from '@shared/api'
import { eventNames, SeedlingError } from '@shared/api'
import type { EventName } from '@shared/api'
import { InfoHashRequestSchema } from '@shared/schema'
import type { EngineOptions } from '../engine/engine'
import type { HostMessage, HostOptions, HostRequest } from './protocol'
import { hostMethods, isHostRequest } from './protocol'
import { toReply, toWireError } from '@shared/wire'

/** How messages reach the host and leave it. */
export interface HostPort {
  postMessage(msg: HostMessage): void
  onMessage(listener: (msg: unknown) => void): void
  /** The parent went away (Node IPC disconnect); optional. */
  onDisconnect?(listener: () => void): void
}

/** What the host needs of an engine: the API, its events, the data path, and a clean close. */
export interface HostedEngine extends SeedlingApi {
  on<K extends EventName>(event: K, listener: (payload: SeedlingEvents[K]) => void): () => void
  dataPath(infoHash: string): string
  close(): Promise<void>
}

export interface HostServerOptions {
  openEngine(opts: EngineOptions): Promise<HostedEngine>
  exit(code: number): void
}

export function runHostServer(port: HostPort, opts: HostServerOptions): void {
  let engine: HostedEngine | null = null
  let dispatch: Dispatch | null = null
  let opening: Promise<void> | null = null
  let closing: Promise<void> | null = null

  const reply = (id: number, run: () => Promise<unknown>): void => {
    void toReply(run).then((r) => {
      try {
        port.postMessage({ id, ...r })
      } catch (err) {
        // A value the channel cannot carry must still answer the call, or it waits for its timeout.
        port.postMessage({ id, ok: false, error: toWireError(err) })
      }
    })
  }

  const init = async (params: unknown): Promise<void> => {
    if (opening) throw new SeedlingError('the engine host is already started')
    const o = params as HostOptions
    if (!o || typeof o.stateDir !== 'string' || typeof o.defaultDownloadDir !== 'string')
      throw new SeedlingError('host:init needs stateDir and defaultDownloadDir')
    opening = (async () => {
      engine = await opts.openEngine({
        stateDir: o.stateDir,
        defaultDownloadDir: o.defaultDownloadDir,
        overrides: o.overrides,
        peers: o.peers,
        tickMs: o.tickMs,
        log: (log) => port.postMessage({ log }),
      })
      for (const event of Object.keys(eventNames) as EventName[]) {
        engine.on(event, (payload) => port.postMessage({ event, payload }))
      }
      dispatch = createDispatcher(engine)
    })()
    try {
      await opening
    } catch (err) {
      opening = null
      throw err
    }
  }

  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await opening?.catch(() => undefined)
        await engine?.close()
      } finally {
        engine = null
        dispatch = null
      }
    })()
    return closing
  }

  const handle = async (req: HostRequest): Promise<unknown> => {
    if (req.method === hostMethods.init) return init(req.params)
    if (req.method === hostMethods.close) return close()
    if (closing) throw new SeedlingError('the engine is shutting down', 'internal')
    if (!engine || !dispatch) throw new SeedlingError('the engine is not started', 'internal')
    if (req.method === hostMethods.dataPath) {
      const checked = InfoHashRequestSchema.safeParse(req.params)
      if (!checked.success) throw new SeedlingError('invalid dataPath request: bad info hash')
      return engine.dataPath(checked.data.infoHash)
    }
    return dispatch(req.method, req.params)
  }

  port.onMessage((msg) => {
    if (!isHostRequest(msg)) return
    const closeRequest = msg.method === hostMethods.close
    reply(msg.id, () => handle(msg))
    // Exit only after the reply to `host:close` has been posted.
    if (closeRequest) void close().finally(() => setTimeout(() => opts.exit(0), 50))
  })
  port.onDisconnect?.(() => void close().finally(() => opts.exit(0)))
}

/** The process events the last-resort handlers listen to (a Node process, or a stand-in in tests). */
export interface ProcessLike {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown
}

/**
 * Last resort only: logs an exception or rejection nothing else caught and keeps the host running.
 * Errors a peer can provoke are contained where they arise (each peer wire destroys itself, see
 * patches/bittorrent-protocol); this is for what slips past that, because ending the host drops
 * every transfer, and the app restarts it only a few times before giving up. State after such an
 * error may be off, so it is logged loudly rather than hidden, and is a bug to fix at its source.
 */
export function installLastResortHandlers(proc: ProcessLike, log: (line: string) => void): void {
  const report = (kind: string) => (err: unknown) => {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err)
    try {
      log(`engine host: ${kind} (kept running): ${detail}`)
    } catch {
      // the log channel itself failed; nothing more to do without risking a loop
    }
  }
  proc.on('uncaughtException', report('uncaught exception'))
  proc.on('unhandledRejection', report('unhandled rejection'))
}
