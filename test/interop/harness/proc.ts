// Tracked child processes for the interop suites and the benchmarks.
//
// Every process is spawned `detached` (its own process group), so stopping it also stops whatever it
// started (tsx → node, shells). All live processes sit in one registry: `killAll()` (afterAll /
// finally) and a synchronous `exit` hook make sure nothing outlives the test run. Output is kept as
// a bounded ring of lines, so a failed wait can print the last stderr/stdout lines of the process.
import { spawn } from 'node:child_process'
import type { ChildProcess, SpawnOptions } from 'node:child_process'

export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
}

const HEAD = 200
const RING = 400

/** Keeps the first HEAD lines and the last RING lines of a stream. */
class LineRing {
  private head: string[] = []
  private lines: string[] = []
  private partial = ''
  private listeners = new Set<(line: string) => void>()

  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n|\r/)
    this.partial = parts.pop() ?? ''
    for (const line of parts) this.add(line)
  }

  flush(): void {
    if (this.partial) this.add(this.partial)
    this.partial = ''
  }

  private add(line: string): void {
    if (this.head.length < HEAD) this.head.push(line)
    else this.lines.push(line)
    if (this.lines.length > RING) this.lines.splice(0, this.lines.length - RING)
    for (const fn of this.listeners) fn(line)
  }

  tail(n: number): string[] {
    return [...this.head, ...this.lines].slice(-n)
  }

  all(): string[] {
    return [...this.head, ...this.lines]
  }

  onLine(fn: (line: string) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }
}

export class TrackedProcess {
  readonly child: ChildProcess
  readonly stdout = new LineRing()
  readonly stderr = new LineRing()
  readonly exited: Promise<ExitInfo>
  exitInfo: ExitInfo | undefined
  readonly startedAt = Date.now()

  constructor(
    readonly name: string,
    readonly command: string,
    readonly args: readonly string[],
    options: SpawnOptions = {},
  ) {
    this.child = spawn(command, args, {
      ...options,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => this.stdout.push(d))
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => this.stderr.push(d))
    registry.add(this)
    this.exited = new Promise<ExitInfo>((resolve) => {
      let done = false
      const finish = (info: ExitInfo): void => {
        if (done) return
        done = true
        this.stdout.flush()
        this.stderr.flush()
        this.exitInfo = info
        registry.delete(this)
        resolve(info)
      }
      this.child.on('error', (err) => {
        this.stderr.push(`[spawn error] ${err.message}\n`)
        finish({ code: -1, signal: null })
      })
      // 'close' waits for the stdio streams, so the rings are complete when this resolves.
      this.child.on('close', (code, signal) => finish({ code, signal }))
    })
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  get running(): boolean {
    return this.exitInfo === undefined
  }

  /** The last lines of stderr and stdout, ready to put in an error message. */
  describe(lines = 25): string {
    const status = this.exitInfo
      ? `exited code=${this.exitInfo.code} signal=${this.exitInfo.signal}`
      : `running pid=${this.pid}`
    const err = this.stderr.tail(lines)
    const out = this.stdout.tail(lines)
    return [
      `--- ${this.name} (${status}): ${this.command} ${this.args.join(' ')}`,
      `--- last stderr lines:`,
      ...(err.length ? err : ['(none)']),
      `--- last stdout lines:`,
      ...(out.length ? out : ['(none)']),
    ].join('\n')
  }

  /** Sends a signal to the whole process group (falls back to the process itself). */
  signal(sig: NodeJS.Signals): void {
    const pid = this.child.pid
    if (pid === undefined || !this.running) return
    try {
      process.kill(-pid, sig)
    } catch {
      try {
        this.child.kill(sig)
      } catch {
        // already gone
      }
    }
  }

  /** Signal, wait up to graceMs, then SIGKILL the group. Always resolves. */
  async stop(sig: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<ExitInfo> {
    if (!this.running) return this.exitInfo as ExitInfo
    this.signal(sig)
    const info = await withTimeout(this.exited, graceMs)
    if (info) return info
    this.signal('SIGKILL')
    return (await withTimeout(this.exited, 5_000)) ?? { code: null, signal: 'SIGKILL' }
  }

  /** Waits for the process to exit, at most timeoutMs; throws (with its output) on timeout. */
  async waitExit(timeoutMs: number): Promise<ExitInfo> {
    const info = await withTimeout(this.exited, timeoutMs)
    if (info) return info
    throw new Error(`${this.name} did not exit within ${timeoutMs} ms\n${this.describe()}`)
  }

  /**
   * Resolves with the first stdout/stderr line (already seen or future) matching `re`. Rejects on
   * timeout or if the process exits first; the error carries the process's last output.
   */
  waitForLine(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    for (const line of [...this.stdout.all(), ...this.stderr.all()]) {
      const m = line.match(re)
      if (m) return Promise.resolve(m)
    }
    return new Promise((resolve, reject) => {
      let settled = false
      const settle = (fn: () => void): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        offOut()
        offErr()
        fn()
      }
      const check = (line: string): void => {
        const m = line.match(re)
        if (m) settle(() => resolve(m))
      }
      const offOut = this.stdout.onLine(check)
      const offErr = this.stderr.onLine(check)
      const timer = setTimeout(() => {
        settle(() =>
          reject(
            new Error(
              `${this.name}: no line matching ${re} within ${timeoutMs} ms\n${this.describe()}`,
            ),
          ),
        )
      }, timeoutMs)
      void this.exited.then(() => {
        // the rings are flushed before `exited` resolves, so a last matching line was already seen
        settle(() =>
          reject(new Error(`${this.name} exited before printing ${re}\n${this.describe()}`)),
        )
      })
    })
  }
}

const registry = new Set<TrackedProcess>()

export function spawnTracked(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): TrackedProcess {
  return new TrackedProcess(name, command, args, options)
}

export function liveProcesses(): TrackedProcess[] {
  return [...registry]
}

/** Stops every tracked process still alive (SIGTERM, then SIGKILL after graceMs). */
export async function killAll(graceMs = 5_000): Promise<void> {
  await Promise.all([...registry].map((p) => p.stop('SIGTERM', graceMs)))
}

// Last resort if the runner exits without calling killAll(): synchronous SIGKILL of every group.
function killRegistered(): void {
  for (const p of registry) {
    const pid = p.pid
    if (pid === undefined) continue
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
}

process.once('exit', killRegistered)
// A worker ended by a signal (vitest stopping it, an outer `timeout`) never fires 'exit', and the
// detached groups would outlive the run: kill them, then let the signal take its course.
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(sig, () => {
    killRegistered()
    process.kill(process.pid, sig)
  })
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  try {
    return await Promise.race([p, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export interface WaitOptions {
  /** Give up after this long (ms). */
  timeoutMs: number
  /** Poll interval (ms). */
  intervalMs?: number
  /** Used in the error message. */
  what: string
  /** Processes whose output to include in the error, and which must stay alive while waiting. */
  procs?: TrackedProcess[]
}

/**
 * Polls `check` until it returns a value other than undefined/false. Bounded in time and in
 * attempts (timeoutMs / intervalMs + 1). A check that throws counts as "not yet" (the last error is
 * reported). Fails early if one of `procs` exits.
 */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  opts: WaitOptions,
): Promise<T> {
  const interval = opts.intervalMs ?? 250
  const maxAttempts = Math.ceil(opts.timeoutMs / interval) + 1
  const deadline = Date.now() + opts.timeoutMs
  let lastError: unknown
  for (let attempt = 0; attempt < maxAttempts && Date.now() <= deadline; attempt++) {
    try {
      const v = await check()
      if (v !== undefined && v !== false) return v
    } catch (err) {
      lastError = err
    }
    const dead = opts.procs?.find((p) => !p.running)
    if (dead) {
      throw new Error(
        `while waiting for ${opts.what}: ${dead.name} exited\n${describeAll(opts.procs)}`,
      )
    }
    await sleep(interval)
  }
  const last = lastError instanceof Error ? `\nlast error: ${lastError.message}` : ''
  throw new Error(
    `timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${last}\n${describeAll(opts.procs)}`,
  )
}

function describeAll(procs: TrackedProcess[] | undefined): string {
  return (procs ?? []).map((p) => p.describe()).join('\n')
}

/** Runs `fn` and logs how long it took (helps tell a slow step from a hang in CI logs). */
export async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now()
  try {
    return await fn()
  } finally {
    console.log(`[interop] ${what}: ${Date.now() - t0} ms`)
  }
}
