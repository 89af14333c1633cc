/**
 * The Electron transport of the API: one `ipcMain.handle` per contract method, sender frame checked, params
 * validated by the shared dispatcher, the result or error answered in the shared envelope (shared/wire.ts)
 * so the error code reaches the page; engine events pushed to the window. The desktop-only API
 * (`desktopMethods`) is registered the same way, with its own handlers.
 */
import { ipcMain } from 'electron'
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron'
import type { Dispatch } from '../api-dispatch'
import { apiMethods, eventNames } from '@shared/api'
import type { EventName, SeedlingEvents } from '@shared/api'
import type { DesktopMethod } from '@shared/bridge'
import { desktopMethods } from '@shared/desktop-api'
import {
  desktopChannel,
  eventChannel,
  ipcChannel,
  OPEN_REQUESTS_READY,
} from '@shared/channels'
import { toReply } from '@shared/wire'
import type { Reply } from '@shared/wire'

/** Where the engine's events come from (the engine itself or the engine host client). */
export interface EngineEvents {
  on<K extends EventName>(event: K, listener: (payload: SeedlingEvents[K]) => void): () => void
}

type Trusted = (event: IpcMainInvokeEvent) => boolean

function trustCheck(
  getWindow: () => BrowserWindow | null,
  isTrustedUrl: (url: string) => boolean,
): Trusted {
  return (event) => {
    const win = getWindow()
    const frame = event.senderFrame
    return Boolean(
      win &&
      !win.isDestroyed() &&
      event.sender === win.webContents &&
      frame &&
      frame === win.webContents.mainFrame &&
      isTrustedUrl(frame.url),
    )
  }
}

export function registerApi(
  dispatch: Dispatch,
  engine: EngineEvents,
  getWindow: () => BrowserWindow | null,
  isTrustedUrl: (url: string) => boolean,
): void {
  const trusted = trustCheck(getWindow, isTrustedUrl)
  for (const method of apiMethods) {
    // A thrown error would reach the page as a bare message; the envelope keeps its code.
    ipcMain.handle(ipcChannel(method), (event, params: unknown): Promise<Reply> => {
      if (!trusted(event)) throw new Error('refused: untrusted sender')
      return toReply(() => dispatch(method, params))
    })
  }
  for (const name of Object.keys(eventNames) as EventName[]) {
    engine.on(name, (payload) => {
      const win = getWindow()
      if (win && !win.isDestroyed()) win.webContents.send(eventChannel(name), payload)
    })
  }
}

/**
 * Handlers for the desktop API. Every method in `desktopMethods` must have one (checked at start-up);
 * handlers for methods the contract does not (yet) list are never registered, so never reachable.
 */
export type DesktopHandlers = Record<
  DesktopMethod,
  (params: unknown, sender: Electron.WebContents) => Promise<unknown>
>

export function registerDesktopApi(
  handlers: DesktopHandlers,
  onOpenRequestsReady: (sender: Electron.WebContents) => void,
  getWindow: () => BrowserWindow | null,
  isTrustedUrl: (url: string) => boolean,
): void {
  const trusted = trustCheck(getWindow, isTrustedUrl)
  for (const method of Object.keys(desktopMethods) as DesktopMethod[]) {
    const handler = handlers[method]
    ipcMain.handle(desktopChannel(method), (event, params: unknown): Promise<Reply> => {
      if (!trusted(event)) throw new Error('refused: untrusted sender')
      return toReply(() => handler(params, event.sender))
    })
  }
  ipcMain.handle(desktopChannel(OPEN_REQUESTS_READY), (event) => {
    if (!trusted(event)) throw new Error('refused: untrusted sender')
    onOpenRequestsReady(event.sender)
    return { ok: true, value: null } satisfies Reply
  })
}
