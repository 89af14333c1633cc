/**
 * Exposes exactly the API contract as `window.seedling`: one function per method, one subscription per
 * event, and the desktop-only API as `window.seedling.desktop`. Nothing generic (no raw invoke or channel
 * names) crosses into the page. Methods resolve to the shared reply envelope rather than throwing, because
 * contextBridge would keep only an error's message; the page's api/ unwraps them (shared/bridge.ts).
 * Bundled into one CommonJS file: a sandboxed preload cannot require(); it imports no schema (zod).
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { apiMethodNames, eventNames } from '@shared/api'
import type { EventName, SeedlingApi, SeedlingEvents } from '@shared/api'
import { createProxy } from '@shared/api-proxy'
import type { DesktopBridge, DesktopCalls, SeedlingBridge } from '@shared/bridge'
import {
  desktopChannel,
  desktopEventChannel,
  eventChannel,
  ipcChannel,
  OPEN_REQUESTS_READY,
} from '@shared/channels'
import { desktopMethods } from '@shared/desktop-api'
import type { HostStatus, MenuCommand, OpenRequest } from '@shared/desktop-api'
import { isReply, toWireError } from '@shared/wire'
import type { Reply, ReplyApi } from '@shared/wire'

/** Never rejects: a refused sender or a broken reply becomes an internal error in the envelope. */
async function invoke(channel: string, params: unknown): Promise<Reply> {
  try {
    const reply: unknown = await ipcRenderer.invoke(channel, params)
    if (isReply(reply)) return reply
    return {
      ok: false,
      error: { message: 'malformed reply from the main process', code: 'internal' },
    }
  } catch (err) {
    return { ok: false, error: toWireError(err) }
  }
}

function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  const handler = (_: IpcRendererEvent, payload: T): void => listener(payload)
  ipcRenderer.on(channel, handler)
  return () => ipcRenderer.off(channel, handler)
}

const desktop: DesktopBridge = {
  ...createProxy<ReplyApi<DesktopCalls>>(desktopMethods, (method, params) =>
    invoke(desktopChannel(method), params),
  ),
  onOpenRequest(listener: (req: OpenRequest) => void): () => void {
    const off = subscribe(desktopEventChannel('open-request'), listener)
    // Tells main we listen; requests that arrived before now are replayed.
    void ipcRenderer.invoke(desktopChannel(OPEN_REQUESTS_READY))
    return off
  },
  onEngineStatus(listener: (status: HostStatus) => void): () => void {
    return subscribe(desktopEventChannel('engine-status'), listener)
  },
  onMenuCommand(listener: (command: MenuCommand) => void): () => void {
    return subscribe(desktopEventChannel('menu-command'), listener)
  },
}

const bridge: SeedlingBridge = {
  ...createProxy<ReplyApi<SeedlingApi>>(apiMethodNames, (method, params) =>
    invoke(ipcChannel(method), params),
  ),
  on<K extends EventName>(event: K, listener: (payload: SeedlingEvents[K]) => void): () => void {
    if (!Object.prototype.hasOwnProperty.call(eventNames, event))
      throw new Error(`unknown event ${event}`)
    return subscribe(eventChannel(event), listener)
  },
  desktop,
}

contextBridge.exposeInMainWorld('seedling', bridge)
