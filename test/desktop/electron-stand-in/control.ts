/**
 * The test's hand on the running app, over the Node IPC channel of the process the harness forked: it
 * plays the OS and the user (app events, tray clicks, the window's close button, clicks in the page) and
 * reads back what the app did. Only installed when there is such a channel.
 */
import type { Page } from 'playwright-core'
import { app } from './app-instance'
import { StandInBrowserWindow } from './browser-window'
import { calls, preventableEvent } from './record'
import { StandInTray } from './tray-menu'
import { StandInUtilityProcess } from './utility-process'

export type ControlCommand =
  | { cmd: 'state' }
  | { cmd: 'open-file'; path: string }
  | { cmd: 'second-instance'; argv: string[]; cwd: string }
  | { cmd: 'tray-click'; label: string }
  | { cmd: 'close-window' }
  | { cmd: 'click'; testId: string }
  | { cmd: 'evaluate'; expression: string }

export interface StandInState {
  windows: Array<{ visible: boolean; url: string }>
  trays: Array<{ tooltip: string; labels: string[]; destroyed: boolean }>
  /** Engine hosts still running. */
  hostPids: number[]
  calls: typeof calls
}

function state(): StandInState {
  return {
    windows: StandInBrowserWindow.getAllWindows().map((w) => ({
      visible: w.isVisible(),
      url: w.webContents.getURL(),
    })),
    trays: StandInTray.all.map((t) => ({
      tooltip: t.tooltip,
      labels: t.menu?.labels() ?? [],
      destroyed: t.isDestroyed(),
    })),
    hostPids: StandInUtilityProcess.all.flatMap((p) => (p.pid === undefined ? [] : [p.pid])),
    calls,
  }
}

async function currentPage(): Promise<Page> {
  const win = StandInBrowserWindow.getAllWindows().at(-1)
  if (!win) throw new Error('no window')
  return win.webContents.page
}

async function run(command: ControlCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'state':
      return state()
    case 'open-file':
      return void app.emit('open-file', preventableEvent(), command.path)
    case 'second-instance':
      return void app.emit('second-instance', preventableEvent(), command.argv, command.cwd, {})
    case 'tray-click': {
      const tray = StandInTray.all.find((t) => !t.isDestroyed())
      if (!tray?.menu) throw new Error('no tray menu')
      return tray.menu.click(command.label)
    }
    case 'close-window':
      return StandInBrowserWindow.getAllWindows().at(-1)?.close()
    case 'click':
      return (await currentPage()).getByTestId(command.testId).click()
    case 'evaluate':
      return (await currentPage()).evaluate(command.expression)
  }
}

export function installControl(): void {
  const send = process.send?.bind(process)
  if (!send) return
  process.on('message', (message: { id: number; command: ControlCommand }) => {
    run(message.command).then(
      (result) => send({ id: message.id, result }),
      (err: Error) => send({ id: message.id, error: err.message }),
    )
  })
}
