/**
 * Runs the BUILT desktop app (out/main/index.js, out/preload/index.cjs, out/renderer, host-entry.js,
 * built fresh into test-results/desktop/build) in a Node child with the electron stand-in
 * (electron-stand-in/), and drives it through the stand-in's control channel. Every wait is bounded;
 * `stop()` ends exactly the process started here (and the engine host it forked).
 */
import { fork, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { REPO } from '../e2e/harness'
import type { ControlCommand, StandInState } from './electron-stand-in/control'

/** A build given by SEEDLING_DESKTOP_BUILD_DIR (used as it is), else a fresh one built here. */
export const GIVEN_BUILD = process.env['SEEDLING_DESKTOP_BUILD_DIR']
export const BUILD_DIR = GIVEN_BUILD
  ? path.resolve(GIVEN_BUILD)
  : path.join(REPO, 'test-results', 'desktop', 'build')
const BUILT = ['main/index.js', 'main/host-entry.js', 'preload/index.cjs', 'renderer/index.html']
const REGISTER = pathToFileURL(path.join(REPO, 'test/desktop/electron-stand-in/register.ts')).href

/** `electron-vite build` into BUILD_DIR; resolves with the build's output, rejects with it on failure. */
export function buildApp(timeoutMs = 180_000): Promise<void> {
  if (GIVEN_BUILD) {
    const missing = BUILT.filter((f) => !existsSync(path.join(BUILD_DIR, f)))
    if (missing.length) return Promise.reject(new Error(`${BUILD_DIR} lacks ${missing.join(', ')}`))
    return Promise.resolve()
  }
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(REPO, 'node_modules', '.bin', 'electron-vite'),
      ['build', '--outDir', BUILD_DIR, '--logLevel', 'warn'],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (code === 0 && BUILT.every((f) => existsSync(path.join(BUILD_DIR, f)))) resolve()
      else reject(new Error(`electron-vite build failed (${code}):\n${output}`))
    })
  })
}

export interface DesktopApp {
  control<T = unknown>(command: ControlCommand, timeoutMs?: number): Promise<T>
  state(): Promise<StandInState>
  /** stdout + stderr so far. */
  output(): string
  /** Resolves with the exit code once the app has exited by itself (bounded). */
  exited(timeoutMs: number): Promise<number | null>
  /** SIGKILL for the app and its engine host if still running. */
  stop(): Promise<void>
}

/** Starts the built app with `root` holding its userData and downloads. */
export function startApp(
  root: string,
  argv: string[] = [],
  extraEnv: NodeJS.ProcessEnv = {},
): DesktopApp {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, SEEDLING_STAND_IN_ROOT: root }
  delete env['ELECTRON_RENDERER_URL']
  const child: ChildProcess = fork(path.join(BUILD_DIR, 'main', 'index.js'), argv, {
    cwd: REPO,
    env,
    execArgv: ['--import', 'tsx', '--import', REGISTER],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let nextId = 1
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(m.id)
    pending.delete(m.id)
    if (m.error !== undefined) p?.reject(new Error(m.error))
    else p?.resolve(m.result)
  })
  let hostPids: number[] = []
  const control = <T>(command: ControlCommand, timeoutMs = 20_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new Error(`${command.cmd} got no answer in ${timeoutMs} ms\n${output}`))
      }, timeoutMs)
      pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      })
      child.send({ id, command })
    })
  return {
    control,
    state: async () => {
      const s = await control<StandInState>({ cmd: 'state' })
      hostPids = s.hostPids
      return s
    },
    output: () => output,
    exited: (timeoutMs) =>
      Promise.race([
        exit,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`the app did not exit in ${timeoutMs} ms\n${output}`)),
            timeoutMs,
          ),
        ),
      ]),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        // The newest host pids first: a host restarted since the last look would outlive the app.
        await control<StandInState>({ cmd: 'state' })
          .then((s) => (hostPids = s.hostPids))
          .catch(() => undefined)
        child.kill('SIGKILL')
      }
      await exit
      for (const pid of hostPids) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      // A host still writing its session into userData would make removing the folder fail.
      const alive = (pid: number): boolean => {
        try {
          process.kill(pid, 0)
          return true
        } catch {
          return false
        }
      }
      const deadline = Date.now() + 5_000
      while (hostPids.some(alive) && Date.now() < deadline) await sleep(50)
    },
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Polls `probe` every 200 ms until it returns true; fails after `timeoutMs` with `what`. */
export async function until(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await probe().catch(() => false)) return
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
