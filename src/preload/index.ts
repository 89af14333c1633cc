/**
 * Exposes exactly the API contract as `window.seedling`: one function per method, one subscription per
 * event, and the desktop-only API as `window.seedling.desktop`. Nothing generic (no raw invoke or channel
 * names) crosses into the page. Bundled into one CommonJS file: a sandboxed preload cannot require().
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { apiMethods, eventNames } from '../shared/api'
import type { EventName, SeedlingEvents } from '../shared/api'
import { desktopMethods } from '../shared/desktop-api'
import type { DesktopApi, HostStatus, MenuCommand, OpenRequest } from '../shared/desktop-api'
import type { SeedlingBridge } from './bridge'
import { eventChannel, ipcChannel } from '../shared/ipc-channels'
import {
  desktopChannel,
  desktopEventChannel,
  OPEN_REQUESTS_READY,
} from '../main/desktop/desktop-channels'

type Reply = { ok: true; value: unknown } | { ok: false; error: string }

const invoker =
  (channel: string) =>
  async (params?: unknown): Promise<unknown> => {
    const reply = (await ipcRenderer.invoke(channel, params)) as Reply
    if (!reply.ok) throw new Error(reply.error)
    return reply.value
  }

function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  const handler = (_: IpcRendererEvent, payload: T): void => listener(payload)
  ipcRenderer.on(channel, handler)
  return () => ipcRenderer.off(channel, handler)
}

const api = Object.fromEntries(apiMethods.map((method) => [method, invoker(ipcChannel(method))]))

const desktopInvokers = Object.fromEntries(
  Object.keys(desktopMethods).map((method) => [method, invoker(desktopChannel(method))]),
)

const desktop = {
  ...desktopInvokers,
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
} as DesktopApi

const bridge = {
  ...api,
  on<K extends EventName>(event: K, listener: (payload: SeedlingEvents[K]) => void): () => void {
    if (!Object.prototype.hasOwnProperty.call(eventNames, event))
      throw new Error(`unknown event ${event}`)
    return subscribe(eventChannel(event), listener)
  },
  desktop,
} as SeedlingBridge

contextBridge.exposeInMainWorld('seedling', bridge)
