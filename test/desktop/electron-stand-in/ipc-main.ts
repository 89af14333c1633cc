/**
 * `ipcMain`: handlers by channel, called with an event that names the real sender (its web contents and
 * frame: the main frame object when the call came from the main frame, another frame with its own URL
 * otherwise). Errors thrown by a handler reject the renderer's invoke, as in Electron.
 */
import { EventEmitter } from 'node:events'
import type { StandIn } from './record'
import { StandInFrame } from './web-contents'
import type { StandInWebContents } from './web-contents'

type InvokeListener = Parameters<Electron.IpcMain['handle']>[1]

class StandInIpcMain extends EventEmitter implements StandIn<Electron.IpcMain> {
  private readonly handlers = new Map<string, InvokeListener>()

  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, listener)
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }

  private event(contents: StandInWebContents, mainFrame: boolean): Electron.IpcMainInvokeEvent {
    const senderFrame = mainFrame ? contents.mainFrame : new StandInFrame(() => 'about:blank')
    return {
      sender: contents,
      senderFrame,
      processId: 1,
      frameId: mainFrame ? 1 : 2,
      type: 'frame',
      preventDefault: () => undefined,
      defaultPrevented: false,
    } as unknown as Electron.IpcMainInvokeEvent
  }

  async invokeFrom(
    contents: StandInWebContents,
    mainFrame: boolean,
    channel: string,
    args: unknown[],
  ): Promise<unknown> {
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    return handler(this.event(contents, mainFrame), ...args)
  }

  sendFrom(
    contents: StandInWebContents,
    mainFrame: boolean,
    channel: string,
    args: unknown[],
  ): void {
    this.emit(channel, this.event(contents, mainFrame), ...args)
  }
}

export const ipcMain = new StandInIpcMain()
