/**
 * The Node transport for the engine host: `child_process.fork` with Node IPC. Used by tests and by the CLI;
 * the app uses Electron's utilityProcess (src/main/desktop/utility-channel.ts) with the same interface.
 */
import { fork } from 'node:child_process'
import type { HostChannel } from './host-client'

export interface NodeHostOptions {
  /** The host entry module (host-entry.ts under tsx, or the built host-entry.js). */
  entry: string
  /** e.g. `['--import', 'tsx']` to run the TypeScript entry directly. */
  execArgv?: string[]
  env?: NodeJS.ProcessEnv
}

export function forkNodeHost(opts: NodeHostOptions): HostChannel {
  const child = fork(opts.entry, [], {
    execArgv: opts.execArgv ?? [],
    env: opts.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  })
  const exitListeners: Array<(reason: string) => void> = []
  let exitReason: string | null = null
  const onGone = (reason: string): void => {
    if (exitReason !== null) return
    exitReason = reason
    for (const l of exitListeners) l(reason)
  }
  child.on('exit', (code, signal) => onGone(signal ? `killed by ${signal}` : `exit code ${code}`))
  child.on('error', (err) => {
    onGone(`failed: ${err.message}`)
    child.kill('SIGKILL')
  })
  return {
    postMessage: (msg) => {
      if (!child.connected) throw new Error('the engine host is not connected')
      child.send(msg)
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => {
      if (exitReason !== null) listener(exitReason)
      else exitListeners.push(listener)
    },
    kill: () => void child.kill('SIGKILL'),
    get pid() {
      return child.pid
    },
  } as HostChannel & { pid: number | undefined }
}
