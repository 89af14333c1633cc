/**
 * The CLI commands that run the engine (download, seed, serve) need ENGINE_V8_FLAGS, which only work
 * when node starts. However the CLI was started (the `seedling` bin, `npm run cli`, `node
 * out/cli/index.mjs`), it replaces itself once with the same node, the same node options and script,
 * and the flags added: `process.execve` keeps the process id and stdio, so no parent process waits in
 * between. `info`, `create` and the others do not pay the second start.
 */
import { missingEngineFlags } from '../engine-host/v8-flags'

/** Set in the relaunched process: it must never relaunch again, whatever it sees. */
const MARK = 'SEEDLING_ENGINE_FLAGS'

interface ProcessLike {
  execPath: string
  execArgv: readonly string[]
  argv: readonly string[]
  env: NodeJS.ProcessEnv
}

/**
 * The command line and environment to relaunch with, or null when this process should go on as it is
 * (already relaunched, or every flag was given by whoever started node). Only the flags not given are
 * added: a value chosen on the command line or in NODE_OPTIONS stays.
 */
export function relaunchCommand(p: ProcessLike): { args: string[]; env: NodeJS.ProcessEnv } | null {
  const missing = missingEngineFlags(p.execArgv, p.env.NODE_OPTIONS)
  if (p.env[MARK] || missing.length === 0) return null
  return {
    args: [p.execPath, ...p.execArgv, ...missing, ...p.argv.slice(1)],
    env: { ...p.env, [MARK]: '1' },
  }
}

/**
 * Replaces this process with one that has the engine's V8 flags. Returns (and the command runs with
 * V8's defaults) where that is not possible: no `process.execve` (Windows), or it failed.
 */
export function relaunchWithEngineFlags(): void {
  const command = relaunchCommand(process)
  if (!command || typeof process.execve !== 'function') return
  try {
    process.execve(process.execPath, command.args, command.env)
  } catch {
    // Only the heap tuning is lost; the command itself works the same without it.
  }
}
