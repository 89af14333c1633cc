/**
 * The message protocol between the main process and the engine host (a child or utility process). It is
 * the API contract carried as messages: requests `{id, method, params}` go through the same dispatcher as
 * IPC and WebSocket; replies are `{id, ok, value|error}`; engine events are `{event, payload}`. Three
 * host-only methods start, stop and query the host; they are not part of the API anyone else sees.
 */
import type { SeedlingErrorCode } from '../../shared/api'
import { eventNames, SeedlingError, seedlingErrorCodes } from '../../shared/api'
import type { EventName } from '../../shared/api'
import type { SettingsPatch } from '../../shared/schema'

/** What the host needs to open the engine; sent as the params of the first request, `host:init`. */
export interface HostOptions {
  stateDir: string
  defaultDownloadDir: string
  overrides?: SettingsPatch
  peers?: string[]
  tickMs?: number
}

export const hostMethods = {
  /** Opens the engine; must be the first request. */
  init: 'host:init',
  /** Closes the engine cleanly (session saved) and exits the host. */
  close: 'host:close',
  /** The folder of a torrent's data (`TorrentEngine.dataPath`), for reveal-in-folder. */
  dataPath: 'host:dataPath',
} as const

export interface HostRequest {
  id: number
  method: string
  params?: unknown
}

export interface HostError {
  message: string
  code: SeedlingErrorCode
}

export type HostReply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: HostError }

export interface HostEvent {
  event: EventName
  payload: unknown
}

/** A log line from the host, so the parent can prefix and route it. */
export interface HostLog {
  log: string
}

export type HostMessage = HostReply | HostEvent | HostLog

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

export function isHostRequest(msg: unknown): msg is HostRequest {
  return isObject(msg) && Number.isSafeInteger(msg['id']) && typeof msg['method'] === 'string'
}

export function isHostReply(msg: unknown): msg is HostReply {
  if (!isObject(msg) || !Number.isSafeInteger(msg['id'])) return false
  if (msg['ok'] === true) return true
  return (
    msg['ok'] === false && isObject(msg['error']) && typeof msg['error']['message'] === 'string'
  )
}

export function isHostEvent(msg: unknown): msg is HostEvent {
  return (
    isObject(msg) &&
    typeof msg['event'] === 'string' &&
    Object.prototype.hasOwnProperty.call(eventNames, msg['event'])
  )
}

export function isHostLog(msg: unknown): msg is HostLog {
  return isObject(msg) && typeof msg['log'] === 'string' && !('id' in msg)
}

const errorCodes: ReadonlySet<string> = new Set(seedlingErrorCodes)

/** Only a message and a code cross the process boundary; internals are labelled, never hidden. */
export function toHostError(err: unknown): HostError {
  if (err instanceof SeedlingError) return { message: err.message, code: err.code }
  const message = err instanceof Error ? err.message : String(err)
  return { message: `internal error: ${message}`, code: 'internal' }
}

export function fromHostError(error: HostError): SeedlingError {
  const code = errorCodes.has(error.code) ? error.code : 'internal'
  return new SeedlingError(error.message, code)
}
