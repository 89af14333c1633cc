/**
 * The Electron transport for the engine host: a supervised `utilityProcess` (a Node child that Electron
 * manages), so hashing, disk I/O or a hostile peer never block windows, menus or the tray.
 */
import { utilityProcess } from 'electron'
import type { HostChannel } from '../engine-host/host-client'
import { utilityProcessExecArgv } from '../engine-host/v8-flags'

export function forkUtilityHost(entry: string): HostChannel {
  const child = utilityProcess.fork(entry, [], {
    serviceName: 'Seedling engine',
    stdio: 'inherit',
    execArgv: utilityProcessExecArgv(),
  })
  const exitListeners: Array<(reason: string) => void> = []
  let exitReason: string | null = null
  child.on('exit', (code) => {
    if (exitReason !== null) return
    exitReason = `exit code ${code}`
    for (const l of exitListeners) l(exitReason)
  })
  child.on('error', (type, location) => console.warn(`[engine host] ${type} at ${location}`))
  return {
    postMessage: (msg) => child.postMessage(msg),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => {
      if (exitReason !== null) listener(exitReason)
      else exitListeners.push(listener)
    },
    kill: () => void child.kill(),
  }
}
