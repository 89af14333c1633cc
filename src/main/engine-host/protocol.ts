/**
 * The message protocol between the main process and the engine host (a child or utility process). It is
 * the API contract carried as messages: requests `{id, method, params}` go through the same dispatcher as
 * IPC and WebSocket; replies are the shared envelope (shared/wire.ts) with the request's id; engine events
 * are `{event, payload}`. Three host-only methods start, stop and query the host; they are not part of the
 * API anyone else sees.
 */
import { eventNames } from '@shared/api'
import type { EventName } from '@shared/api'
import type { SettingsPatch } from '@shared/schema'
import { isReply } from '@shared/wire'
import type { Reply } from '@shared/wire'

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

export type HostReply = Reply & { id: number }

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
  return isObject(msg) && Number.isSafeInteger(msg['id']) && isReply(msg)
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
