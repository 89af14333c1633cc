// Start-up benchmark: how long the bundled CLI takes to answer `info` (and `--help`) next to `node -e 0`,
// and how long the built engine host (out/main/host-entry.js, forked as the CLI and tests fork it) takes
// from fork to its reply to `host:init`, next to a bare node child answering one IPC message.
//
// Run alone: `unshare -n bash -c 'ip link set lo up && npx tsx bench/startup.ts'` (the engine host opens
// a listening port; nothing leaves 127.0.0.1 and DHT, LSD, PeX and UPnP are off). It builds the CLI
// (`npm run build:cli`); the engine host needs `npx electron-vite build` first and is reported as not
// available otherwise. Also the renderer's first paint in Chromium (first-paint.ts). Environment:
// BENCH_STARTUP_RUNS (CLI runs, default 10), BENCH_HOST_RUNS (5), BENCH_PAINT_RUNS (5).
// Output: a table on stdout, then the JSON (also written to bench/results/startup.json).
//
// Method: wall time from spawn/fork to exit (CLI) or to the reply (host), measured here with hrtime;
// the cases take turns within each run so a burst of load from elsewhere hits them alike. Medians.
import { execFileSync, fork, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeTorrentFixture } from '../test/support/torrent-builder'
import { runFirstPaint } from './first-paint'
import { median, round } from './measure'

export interface StartupCase {
  name: string
  available: boolean
  note?: string
  runsMs: number[]
  medianMs?: number
}

export interface StartupBenchResult {
  cli: StartupCase[]
  host: StartupCase[]
  /** The renderer served by `seedling serve`, in Chromium (first-paint.ts). */
  paint: StartupCase[]
  /** Median of `seedling info` over median of `node -e 0` (the issue's target is at most 3). */
  infoVsNode: number | null
  /** Median engine host time to ready over a bare node child's IPC round trip. */
  hostVsBareFork: number | null
}

export interface StartupBenchConfig {
  cliRuns: number
  hostRuns: number
  /** Page loads for the renderer's first paint; 0 leaves it out. */
  paintRuns: number
  workDir: string
  timeoutMs: number
  log: (line: string) => void
}

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const CLI = join(REPO_ROOT, 'out', 'cli', 'index.mjs')
const HOST_ENTRY = join(REPO_ROOT, 'out', 'main', 'host-entry.js')

function elapsedMs(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6
}

/** Runs a command to its exit; its wall time in ms. */
function timeCommand(args: string[], timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      const ms = elapsedMs(t0)
      clearTimeout(timer)
      if (code === 0) resolve(ms)
      else reject(new Error(`${args.join(' ')}: ${signal ?? `exit ${code}`} ${stderr.trim()}`))
    })
  })
}

/**
 * Forks `entry`, sends it request 1 and times until the reply with id 1 comes back; then asks it to
 * close (request 2) and waits for it to exit, killing it if it does not.
 */
async function timeFork(
  entry: string,
  init: { method: string; params?: unknown },
  timeoutMs: number,
): Promise<number> {
  const t0 = process.hrtime.bigint()
  const child = fork(entry, [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  try {
    const ms = await new Promise<number>((resolve, reject) => {
      child.on('message', (msg: { id?: unknown; ok?: unknown; error?: unknown }) => {
        if (msg.id !== 1) return
        if (msg.ok === false || msg.error) reject(new Error(`init failed: ${JSON.stringify(msg)}`))
        else resolve(elapsedMs(t0))
      })
      child.once('exit', (code, signal) =>
        reject(new Error(`exited before replying (${signal ?? code}): ${stderr.trim()}`)),
      )
      child.send({ id: 1, ...init })
    })
    if (child.connected) child.send({ id: 2, method: 'host:close' })
    return ms
  } finally {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(killer)
    clearTimeout(timer)
  }
}

/** Runs each case once per run, the order rotated each run. */
async function rotate(
  cases: { result: StartupCase; run: () => Promise<number> }[],
  runs: number,
  log: (line: string) => void,
): Promise<void> {
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < cases.length; j++) {
      const { result, run } = cases[(i + j) % cases.length]!
      if (!result.available) continue
      try {
        result.runsMs.push(round(await run(), 1))
      } catch (err) {
        result.available = false
        result.note = (err as Error).message.split('\n')[0]
        log(`startup: ${result.name} failed: ${result.note}`)
      }
    }
  }
  for (const { result } of cases) {
    if (result.available && result.runsMs.length > 0) result.medianMs = median(result.runsMs)
  }
}

function ratioOf(a: StartupCase | undefined, b: StartupCase | undefined): number | null {
  return a?.medianMs && b?.medianMs ? round(a.medianMs / b.medianMs, 2) : null
}

export async function runStartupBench(cfg: StartupBenchConfig): Promise<StartupBenchResult> {
  await mkdir(cfg.workDir, { recursive: true })
  const fx = await makeTorrentFixture({
    dir: join(cfg.workDir, 'info'),
    files: [{ path: 'small.bin', size: 1024 * 1024 }],
    pieceLength: 16384,
  })
  const c = (name: string): StartupCase => ({ name, available: true, runsMs: [] })
  const node = c('node -e 0')
  const info = c('node out/cli/index.mjs info small.torrent')
  const bin = c('node bin/seedling.js info small.torrent')
  const help = c('node out/cli/index.mjs --help')
  await rotate(
    [
      { result: node, run: () => timeCommand(['-e', '0'], cfg.timeoutMs) },
      { result: info, run: () => timeCommand([CLI, 'info', fx.torrentPath], cfg.timeoutMs) },
      {
        result: bin,
        run: () =>
          timeCommand(
            [join(REPO_ROOT, 'bin', 'seedling.js'), 'info', fx.torrentPath],
            cfg.timeoutMs,
          ),
      },
      { result: help, run: () => timeCommand([CLI, '--help'], cfg.timeoutMs) },
    ],
    cfg.cliRuns,
    cfg.log,
  )

  const bare = c('bare node child: fork to first IPC reply')
  const host = c('engine host: fork to host:init reply')
  const echo = join(cfg.workDir, 'echo.mjs')
  await writeFile(
    echo,
    "process.on('message', (m) => m.id === 2 ? process.exit(0) : process.send({ id: m.id, ok: true }))\n",
  )
  if (!existsSync(HOST_ENTRY)) {
    host.available = false
    host.note = 'out/main/host-entry.js not built (npx electron-vite build)'
  }
  let hostRun = 0
  await rotate(
    [
      { result: bare, run: () => timeFork(echo, { method: 'ping' }, cfg.timeoutMs) },
      {
        result: host,
        run: async () => {
          // A fresh state folder each time: the first start of a new user, no session to load.
          const state = join(cfg.workDir, `host-${hostRun++}`)
          const params = {
            stateDir: join(state, 'state'),
            defaultDownloadDir: join(state, 'downloads'),
            overrides: { dht: false, lsd: false, pex: false, natTraversal: false, port: 0 },
          }
          return timeFork(HOST_ENTRY, { method: 'host:init', params }, cfg.timeoutMs)
        },
      },
    ],
    cfg.hostRuns,
    cfg.log,
  )
  const paint = cfg.paintRuns > 0 ? await runFirstPaint(cfg.paintRuns, cfg.log) : []
  return {
    cli: [node, info, bin, help],
    host: [bare, host],
    paint,
    infoVsNode: ratioOf(info, node),
    hostVsBareFork: ratioOf(host, bare),
  }
}

export function reportStartup(r: StartupBenchResult): string {
  const rows = [...r.cli, ...r.host, ...r.paint].map((s) => [
    s.name,
    s.medianMs === undefined
      ? `not available${s.note ? `: ${s.note}` : ''}`
      : s.medianMs.toFixed(1),
    String(s.runsMs.length),
  ])
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length), 8))
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
  return [
    line(['case', 'median ms', 'runs']),
    ...rows.map(line),
    '',
    `seedling info / node -e 0: ${r.infoVsNode ?? 'n/a'}x (target <= 3x)`,
    `engine host ready / bare fork round trip: ${r.hostVsBareFork ?? 'n/a'}x (no target)`,
  ].join('\n')
}

function envInt(name: string, def: number): number {
  const n = Number(process.env[name] ?? def)
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new Error(`${name} must be 1 to 100`)
  return n
}

async function main(): Promise<void> {
  const log = (line: string): void => console.error(`[bench] ${line}`)
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-cli.mjs')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const workDir = await mkdtemp(join(process.env.BENCH_TMP ?? tmpdir(), 'seedling-startup-'))
  try {
    const result = await runStartupBench({
      cliRuns: envInt('BENCH_STARTUP_RUNS', 10),
      hostRuns: envInt('BENCH_HOST_RUNS', 5),
      paintRuns: envInt('BENCH_PAINT_RUNS', 5),
      workDir,
      timeoutMs: 60_000,
      log,
    })
    const json = JSON.stringify(
      { date: new Date().toISOString(), node: process.version, ...result },
      null,
      2,
    )
    console.log(reportStartup(result))
    console.log(json)
    const outDir = join(REPO_ROOT, 'bench', 'results')
    await mkdir(outDir, { recursive: true })
    await writeFile(join(outDir, 'startup.json'), `${json}\n`)
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
