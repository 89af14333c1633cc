/**
 * Exposes exactly the API contract as `window.seedling`: one function per method, one subscription per
 * event. Nothing generic (no raw invoke or channel names) crosses into the page.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { apiMethods, eventNames } from '../shared/api'
import type { EventName, SeedlingEvents } from '../shared/api'
import type { SeedlingBridge } from './bridge'
import { eventChannel, ipcChannel } from '../shared/ipc-channels'

const api = Object.fromEntries(
  apiMethods.map((method) => [
    method,
    async (params?: unknown) => {
      const reply = (await ipcRenderer.invoke(ipcChannel(method), params)) as
        { ok: true; value: unknown } | { ok: false; error: string }
      if (!reply.ok) throw new Error(reply.error)
      return reply.value
    },
  ]),
)

const bridge = {
  ...api,
  on<K extends EventName>(event: K, listener: (payload: SeedlingEvents[K]) => void): () => void {
    if (!Object.prototype.hasOwnProperty.call(eventNames, event))
      throw new Error(`unknown event ${event}`)
    const channel = eventChannel(event)
    const handler = (_: unknown, payload: SeedlingEvents[K]): void => listener(payload)
    ipcRenderer.on(channel, handler)
    return () => ipcRenderer.off(channel, handler)
  },
} as SeedlingBridge

contextBridge.exposeInMainWorld('seedling', bridge)
