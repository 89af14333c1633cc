// Starts bench/engine-driver.ts in a child process (bundled once by esbuild into out/bench, as the CLI
// is bundled, so the measured process is plain node running the engine) and sends it commands.
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { build } from 'esbuild'
import { ENGINE_V8_FLAGS } from '../src/main/engine-host/v8-flags'
import { REPO_ROOT } from '../test/interop/harness/seedling-cli'
import type { DriverCommand, MeasureReply } from './engine-driver'

const OUT = join(REPO_ROOT, 'out', 'bench', 'engine-driver.mjs')
let built: Promise<unknown> | undefined

function bundle(): Promise<unknown> {
  built ??= build({
    entryPoints: [join(REPO_ROOT, 'bench', 'engine-driver.ts')],
    outfile: OUT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    alias: { '@shared': join(REPO_ROOT, 'src', 'shared') },
    logLevel: 'warning',
  })
  return built
}

export class EngineDriver {
  private nextId = 1
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >()

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const p = this.pending.get(m.id)
      this.pending.delete(m.id)
      if (m.ok) p?.resolve(m.value)
      else p?.reject(new Error(`engine driver: ${m.error}`))
    })
    child.on('exit', (code, signal) => {
      for (const p of this.pending.values())
        p.reject(new Error(`engine driver exited (${signal ?? code})`))
      this.pending.clear()
    })
  }

  static async start(): Promise<EngineDriver> {
    await bundle()
    const child = fork(OUT, [], {
      cwd: REPO_ROOT,
      // The heap flags the app's engine host runs with; BENCH_ENGINE_NODE_ARGS, e.g. "--cpu-prof
      // --cpu-prof-dir=/tmp/prof", profiles the engine.
      execArgv: [
        ...ENGINE_V8_FLAGS,
        ...(process.env.BENCH_ENGINE_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    })
    return new EngineDriver(child)
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('engine driver has no pid')
    return this.child.pid
  }

  send(command: DriverCommand): Promise<unknown> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.child.send({ id, command })
    })
  }

  async ms(command: DriverCommand): Promise<number> {
    return Math.round((await this.send(command)) as number)
  }

  async measure(windowMs: number): Promise<MeasureReply> {
    return (await this.send({ cmd: 'measure', windowMs })) as MeasureReply
  }

  /** Closes the engine (saving its session) and waits for the process to exit; kills it after 30 s. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise((r) => this.child.once('exit', r))
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000)
    await this.send({ cmd: 'close' }).catch(() => undefined)
    await exited
    clearTimeout(timer)
  }
}
