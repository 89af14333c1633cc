// Spawns the Seedling CLI (`download` / `seed`) as a child process, always loopback-only:
// --no-dht --no-lsd --no-upnp --no-pex, an explicit --port, a private --state-dir (and HOME/XDG_*
// pointing at it, so nothing lands in the real home folder).
//
// How it is started: `tsx src/main/cli/index.ts` from the repo (what `npm run cli --` runs, minus
// the npm wrapper process). SEEDLING_CLI overrides it with a space-separated command line, e.g.
// SEEDLING_CLI="node out/cli/seedling.mjs" to test a build; SEEDLING_CLI=none skips Seedling.
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getFreePort } from './ports'
import { spawnTracked } from './proc'
import type { TrackedProcess } from './proc'

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)))
const CLI_ENTRY = join(REPO_ROOT, 'src', 'main', 'cli', 'index.ts')

/**
 * True when the CLI exists (the source entry point, or an SEEDLING_CLI override).
 * SEEDLING_CLI=none turns the Seedling parts off (harness-only runs).
 */
/** Whether the Seedling cases can run; says so on the console when they cannot. */
export function seedlingCliAvailable(): boolean {
  const override = process.env.SEEDLING_CLI?.trim()
  const available = override !== 'none' && (Boolean(override) || existsSync(CLI_ENTRY))
  if (!available) {
    console.warn(
      '[interop] Seedling CLI not available (no src/main/cli/index.ts, or SEEDLING_CLI=none): Seedling cases skipped',
    )
  }
  return available
}

/** The command line that runs the CLI: [command, ...args]. */
export function seedlingCommand(): string[] {
  const override = process.env.SEEDLING_CLI?.trim()
  if (override) return override.split(/\s+/)
  return [join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), CLI_ENTRY]
}

export interface SeedlingCommonOptions {
  trackers?: string[]
  /** Peers added directly, "127.0.0.1:PORT". */
  peers?: string[]
  port?: number
  /** A private state folder (created if missing). Default: <dir>/../.seedling-state-<port>. */
  stateDir?: string
  extraArgs?: string[]
  /** Prepended to the command line, e.g. ['/usr/bin/time', '-f', '...', '-o', file]. */
  wrapper?: string[]
  name?: string
}

export interface SeedlingRun {
  proc: TrackedProcess
  port: number
  stateDir: string
  args: string[]
}

async function spawnCli(
  name: string,
  cliArgs: string[],
  o: SeedlingCommonOptions,
  defaultStateBase: string,
): Promise<SeedlingRun> {
  const port = o.port ?? (await getFreePort())
  const stateDir = o.stateDir ?? join(defaultStateBase, `.seedling-state-${port}`)
  await mkdir(stateDir, { recursive: true })
  const args = [...cliArgs, '--port', String(port), '--no-dht', '--no-lsd', '--no-upnp', '--no-pex']
  args.push('--state-dir', stateDir)
  for (const t of o.trackers ?? []) args.push('--tracker', t)
  for (const p of o.peers ?? []) args.push('--peer', p)
  args.push(...(o.extraArgs ?? []))
  const [cmd, ...pre] = [...(o.wrapper ?? []), ...seedlingCommand()]
  const proc = spawnTracked(o.name ?? name, cmd as string, [...pre, ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      HOME: stateDir,
      XDG_CONFIG_HOME: stateDir,
      XDG_DATA_HOME: stateDir,
      FORCE_COLOR: '0',
      NO_COLOR: '1',
    },
  })
  return { proc, port, stateDir, args }
}

export interface SeedlingDownloadOptions extends SeedlingCommonOptions {
  /** A .torrent path or a magnet URI. */
  source: string
  dir: string
  /** Keep seeding after the download (--seed). */
  seed?: boolean
}

/** Starts `seedling download`; it exits 0 once everything is downloaded and verified. */
export async function startSeedlingDownload(o: SeedlingDownloadOptions): Promise<SeedlingRun> {
  await mkdir(o.dir, { recursive: true })
  const args = ['download', o.source, '--dir', o.dir]
  if (o.seed) args.push('--seed')
  return spawnCli('seedling-download', args, o, join(o.dir, '..'))
}

/** Runs `seedling download` to the end; throws with the CLI's output unless it exits 0. */
export async function downloadWithSeedling(
  o: SeedlingDownloadOptions & { timeoutMs: number },
): Promise<{ wallMs: number; run: SeedlingRun }> {
  const t0 = Date.now()
  const run = await startSeedlingDownload(o)
  try {
    const exit = await run.proc.waitExit(o.timeoutMs)
    if (exit.code !== 0) throw new Error(`seedling download failed\n${run.proc.describe(40)}`)
    return { wallMs: Date.now() - t0, run }
  } finally {
    await run.proc.stop()
  }
}

export interface SeedlingSeedOptions extends SeedlingCommonOptions {
  /** Data path (file or folder) or a .torrent file. */
  source: string
  /** Where the data of a .torrent is (--dir). */
  dir?: string
  readyTimeoutMs?: number
}

export interface SeedlingSeed extends SeedlingRun {
  infoHash: string
  magnet: string
  stop(): Promise<void>
}

/**
 * Starts `seedling seed` and resolves once it has printed its `infoHash:` and `magnet:` lines and
 * the "seeding ..." line that follows a successful hash check.
 */
export async function startSeedlingSeed(o: SeedlingSeedOptions): Promise<SeedlingSeed> {
  const args = ['seed', o.source]
  if (o.dir) args.push('--dir', o.dir)
  // Beside the data, never inside it: HOME is the state folder, and Seedling refuses a download
  // folder that holds a protected one such as ~/.ssh.
  const base = join(o.dir ?? o.source, '..')
  const run = await spawnCli('seedling-seed', args, o, base)
  const stop = async (): Promise<void> => {
    // SIGINT is the documented way to end seeding; the group gets SIGKILL if it hangs.
    await run.proc.stop('SIGINT', 10_000)
  }
  try {
    const timeout = o.readyTimeoutMs ?? 120_000
    const [hash, magnet, , listening] = await Promise.all([
      run.proc.waitForLine(/infoHash:\s*([0-9a-fA-F]{40})\b/, timeout),
      run.proc.waitForLine(/magnet:\s*(magnet:\?\S+)/, timeout),
      run.proc.waitForLine(/^seeding /, timeout),
      run.proc.waitForLine(/^listening on port (\d+)/, timeout),
    ])
    return {
      ...run,
      // Where it really listens: a port taken meanwhile (the suites pick free ports, and others race
      // for them) makes Seedling move to another one, and peers dialling the old one find nobody.
      port: Number(listening[1]),
      infoHash: (hash[1] as string).toLowerCase(),
      magnet: magnet[1] as string,
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}
