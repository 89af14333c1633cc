/**
 * `utilityProcess.fork` as a Node `child_process.fork` of the same module (the host entry speaks Node
 * IPC when it has no parentPort), adapted to Electron's UtilityProcess: 'spawn', 'message' with the
 * message itself, 'exit' with a number, postMessage, kill. Structured clone is modelled by Node's
 * 'advanced' serialization. execArgv as Electron applies it: a `--js-flags=...` switch gives V8 its
 * flags (the host's heap flags, src/main/engine-host/v8-flags.ts), anything else goes to Node.
 */
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { constants } from 'node:os'
import { record } from './record'
import type { StandIn } from './record'

export class StandInUtilityProcess
  extends EventEmitter
  implements StandIn<Electron.UtilityProcess>
{
  static readonly all: StandInUtilityProcess[] = []
  readonly child: ChildProcess

  constructor(modulePath: string, args: string[], options: Electron.ForkOptions) {
    super()
    this.child = fork(modulePath, args, {
      execArgv: (options.execArgv ?? []).flatMap((arg) =>
        arg.startsWith('--js-flags=') ? arg.slice('--js-flags='.length).split(/\s+/) : [arg],
      ),
      env: options.env ? { ...process.env, ...options.env } : process.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    })
    this.child.on('spawn', () => this.emit('spawn'))
    this.child.on('message', (message) => this.emit('message', message))
    // UtilityProcess reports a number either way; for a signal, the signal's.
    this.child.on('exit', (code, signal) =>
      this.emit('exit', code ?? (signal ? constants.signals[signal] : 1)),
    )
    StandInUtilityProcess.all.push(this)
  }

  get pid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null
      ? this.child.pid
      : undefined
  }

  postMessage(message: unknown): void {
    this.child.send(message as never)
  }

  kill(): boolean {
    return this.child.kill()
  }
}

export const utilityProcess = {
  fork(modulePath: string, args: string[] = [], options: Electron.ForkOptions = {}) {
    record('utilityProcess.fork', modulePath, args, options)
    return new StandInUtilityProcess(
      modulePath,
      args,
      options,
    ) as unknown as Electron.UtilityProcess
  },
} satisfies Partial<typeof Electron.utilityProcess>
