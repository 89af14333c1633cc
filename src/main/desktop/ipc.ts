/**
 * The Electron transport of the API: one `ipcMain.handle` per contract method, sender frame checked, params
 * validated by the shared dispatcher; engine events pushed to the window.
 */
import { ipcMain } from 'electron'
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron'
import type { TorrentEngine } from '../engine/engine'
import type { Dispatch } from '../api-dispatch'
import { apiMethods, eventNames, SeedlingError } from '../../shared/api'
import type { EventName } from '../../shared/api'
import { eventChannel, ipcChannel } from '../../shared/ipc-channels'

export function registerApi(
  dispatch: Dispatch,
  engine: TorrentEngine,
  getWindow: () => BrowserWindow | null,
  isTrustedUrl: (url: string) => boolean,
): void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const win = getWindow()
    const frame = event.senderFrame
    return Boolean(win && event.sender === win.webContents && frame && isTrustedUrl(frame.url))
  }
  for (const method of apiMethods) {
    ipcMain.handle(ipcChannel(method), async (event, params: unknown) => {
      if (!trusted(event)) throw new Error('refused: untrusted sender')
      try {
        return { ok: true, value: await dispatch(method, params) }
      } catch (err) {
        // Only the message crosses the bridge; Electron would otherwise prefix it with internals.
        const message =
          err instanceof SeedlingError ? err.message : `internal error: ${(err as Error).message}`
        return { ok: false, error: message }
      }
    })
  }
  for (const name of Object.keys(eventNames) as EventName[]) {
    engine.on(name, (payload) => getWindow()?.webContents.send(eventChannel(name), payload))
  }
}
