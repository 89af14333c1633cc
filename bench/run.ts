// `npm run bench`: Seedling against reference clients, on 127.0.0.1 only (runs inside `unshare -n`).
//
//  (a) download: qbittorrent-nox seeds BENCH_MIB (256) MiB; Seedling `cli download` and aria2c each
//      fetch it BENCH_RUNS (3) times, alternating; throughput, CPU seconds, peak RSS, ratios.
//  (b) create: a .torrent of BENCH_CREATE_MIB (1024) MiB by Seedling `cli create` and by mktorrent
//      (-t 1 and -t <cores>), same piece length; time, CPU seconds, peak RSS, ratios.
//  (c) startup: `seedling info` vs `node -e 0`, and the engine host's time to ready (bench/startup.ts).
//
// Environment: BENCH_MIB, BENCH_CREATE_MIB, BENCH_RUNS, BENCH_PIECE_EXP (download torrent piece
// length 2^n, default 18 = 256 KiB), BENCH_CREATE_PIECE_EXP (default 20 = 1 MiB), BENCH_ONLY
// (download | create | startup), BENCH_TMP (parent of the temp work folder), SEEDLING_CLI (see
// test/interop/harness/seedling-cli.ts), BENCH_SEEDLING_TSX=1 (run the CLI from source with tsx).
// Results: a table on stdout and bench/results/latest.json.
//
// Which Seedling CLI runs: unless SEEDLING_CLI or BENCH_SEEDLING_TSX=1 says otherwise, the bench
// first builds the bundled CLI (`npm run build:cli` -> out/cli/index.mjs, what the `seedling` bin
// runs) and times `node out/cli/index.mjs`, so tsx's start-up and on-the-fly transpiling (~0.7 s of
// CPU) are not counted. The output and latest.json say which one was used.
// Measurement method: bench/measure.ts (GNU time: CPU = user+sys of the client's process tree,
// peak RSS = largest single process; wall = spawn to exit, so start-up, tracker announce and final
// verification are included, the same for every client). A client that cannot run is shown as
// "not available", never with made-up numbers.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { cpus, release, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { removeDir } from '../test/interop/harness/files'
import { killAll } from '../test/interop/harness/proc'
import { requireTools } from '../test/support/external-tools'
import { REPO_ROOT } from '../test/interop/harness/seedling-cli'
import { runCreateBench } from './create'
import type { CreateBenchResult } from './create'
import { runDownloadBench } from './download'
import { reportStartup, runStartupBench } from './startup'
import type { DownloadBenchResult } from './download'
import { GNU_TIME, gnuTimeAvailable, round } from './measure'
import type { Usage } from './measure'

function envInt(name: string, def: number, min: number, max: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return def
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}`)
  }
  return n
}

const config = {
  downloadMiB: envInt('BENCH_MIB', 256, 1, 65536),
  createMiB: envInt('BENCH_CREATE_MIB', 1024, 1, 65536),
  runs: envInt('BENCH_RUNS', 3, 1, 50),
  pieceExp: envInt('BENCH_PIECE_EXP', 18, 14, 24),
  createPieceExp: envInt('BENCH_CREATE_PIECE_EXP', 20, 14, 24),
  only: process.env.BENCH_ONLY ?? '',
}

const log = (line: string): void => console.error(`[bench] ${line}`)

/**
 * Picks the Seedling command line (see the header) and returns a description of it. Sets
 * SEEDLING_CLI for the harness when the bundled CLI is used.
 */
function selectSeedlingCli(): string {
  const override = process.env.SEEDLING_CLI?.trim()
  if (override) return `SEEDLING_CLI="${override}"`
  const fromSource = 'tsx src/main/cli/index.ts (from source, tsx start-up included)'
  if (process.env.BENCH_SEEDLING_TSX === '1') return fromSource
  const bundle = join(REPO_ROOT, 'out', 'cli', 'index.mjs')
  const node = /\s/.test(process.execPath) ? 'node' : process.execPath
  if (/\s/.test(bundle)) return `${fromSource}: the repo path has spaces`
  try {
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-cli.mjs')], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
  } catch (err) {
    log(`could not build the bundled CLI (${(err as Error).message.split('\n')[0]}); using tsx`)
    return `${fromSource}: the bundled CLI did not build`
  }
  process.env.SEEDLING_CLI = `${node} ${bundle}`
  return 'node out/cli/index.mjs (bundled CLI, built by npm run build:cli at bench start)'
}

function fmt(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined ? 'n/a' : n.toFixed(digits)
}

function fmtRatio(n: number | null | undefined): string {
  return n === null || n === undefined ? 'n/a' : `${n.toFixed(2)}x`
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null
  return round(a / b, 2)
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

function usageCells(u: Usage | undefined): string[] {
  if (!u) return ['not available', '', '']
  return [fmt(u.wallMs / 1000, 2), fmt(u.cpuS, 2), fmt(u.peakRssMiB, 0)]
}

interface Ratios {
  [key: string]: number | null
}

function reportDownload(r: DownloadBenchResult): Ratios {
  const rows = r.clients.map((c) =>
    c.median
      ? [
          c.client,
          fmt(c.median.mibPerS),
          fmt(c.median.transferMiBPerS),
          fmt(c.median.firstByteMs === null ? null : c.median.firstByteMs / 1000, 2),
          ...usageCells(c.median),
          String(c.runs.length),
        ]
      : [`${c.client}: not available`, '-', '-', '-', '-', '-', '-', '0'],
  )
  console.log(
    `\n(a) download ${r.sizeMiB} MiB over 127.0.0.1 from ${r.seeder}, ` +
      `piece length ${r.pieceLength / 1024} KiB (median of runs)\n`,
  )
  const headers = ['client', 'MiB/s', 'transfer MiB/s', '1st byte s', 'wall s', 'CPU s']
  console.log(table([...headers, 'peak RSS MiB', 'runs'], rows))
  console.log(
    'MiB/s = size / wall (spawn to exit); transfer MiB/s = size / (exit - first data block on disk)',
  )
  const s = r.clients[0]?.median
  const a = r.clients[1]?.median
  const ratios: Ratios = {
    throughput: ratio(s?.mibPerS, a?.mibPerS),
    transferThroughput: ratio(s?.transferMiBPerS, a?.transferMiBPerS),
    cpu: ratio(s?.cpuS, a?.cpuS),
    peakRss: ratio(s?.peakRssMiB, a?.peakRssMiB),
  }
  console.log(
    `\nSeedling/aria2c: throughput ${fmtRatio(ratios.throughput)} (higher is better), ` +
      `(transfer phase ${fmtRatio(ratios.transferThroughput)}), ` +
      `CPU ${fmtRatio(ratios.cpu)}, peak RSS ${fmtRatio(ratios.peakRss)} (lower is better)`,
  )
  return ratios
}

function reportCreate(r: CreateBenchResult): Ratios {
  const rows = r.tools.map((t) =>
    t.median
      ? [
          t.tool,
          t.startupOnly ? '-' : fmt(t.median.mibPerS),
          ...usageCells(t.median),
          String(t.runs.length),
        ]
      : [`${t.tool}: not available`, '-', '-', '-', '-', '0'],
  )
  console.log(
    `\n(b) create a .torrent of ${r.sizeMiB} MiB (one file, page cache warm), ` +
      `piece length ${r.pieceLength / 1024} KiB (median of runs)\n`,
  )
  console.log(table(['tool', 'MiB/s', 'wall s', 'CPU s', 'peak RSS MiB', 'runs'], rows))
  const [s, mk1, mkN] = r.tools.map((t) => t.median)
  const ratios: Ratios = {
    wallVsMktorrent1: ratio(s?.wallMs, mk1?.wallMs),
    wallVsMktorrentN: ratio(s?.wallMs, mkN?.wallMs),
    cpuVsMktorrent1: ratio(s?.cpuS, mk1?.cpuS),
    peakRssVsMktorrent1: ratio(s?.peakRssMiB, mk1?.peakRssMiB),
  }
  console.log(
    `\nSeedling/mktorrent (lower is better): time ${fmtRatio(ratios.wallVsMktorrent1)} vs -t 1, ` +
      `${fmtRatio(ratios.wallVsMktorrentN)} vs -t ${cpus().length}; CPU ${fmtRatio(ratios.cpuVsMktorrent1)}; ` +
      `peak RSS ${fmtRatio(ratios.peakRssVsMktorrent1)}. Same info hash: ` +
      `${r.sameInfoHash === null ? 'n/a' : r.sameInfoHash ? 'yes' : 'NO'}`,
  )
  return ratios
}

async function main(): Promise<number> {
  const benchDir = dirname(fileURLToPath(import.meta.url))
  requireTools(
    config.only === 'create'
      ? ['mktorrent']
      : config.only === 'startup'
        ? []
        : ['qbittorrent-nox', 'aria2c', 'opentracker', 'mktorrent'],
  )
  const workDir = await mkdtemp(join(process.env.BENCH_TMP ?? tmpdir(), 'seedling-bench-'))
  // Every temp folder the harness makes (qbittorrent profile, opentracker chroot) goes inside it.
  process.env.SEEDLING_TEST_TMP = workDir
  let interrupted = false
  const onSignal = (sig: NodeJS.Signals): void => {
    if (interrupted) return
    interrupted = true
    log(`${sig}: cleaning up`)
    void killAll(2_000)
      .then(() => removeDir(workDir))
      .finally(() => process.exit(130))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  if (!gnuTimeAvailable())
    log(`${GNU_TIME} not found (apt package "time"): CPU and RSS not available`)
  log(`work folder ${workDir}`)
  const seedlingCli = selectSeedlingCli()
  log(`Seedling CLI: ${seedlingCli}`)

  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    host: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memMiB: Math.round(totalmem() / 2 ** 20),
      kernel: release(),
      node: process.version,
    },
    config,
    seedlingCli,
    method: {
      wall: 'spawn to exit of the client process (includes start-up, announce and final verification)',
      cpu: `${GNU_TIME} %U+%S: user+sys CPU seconds of the client process tree`,
      peakRss: `${GNU_TIME} %M: largest peak RSS of any single process in the tree`,
      network: '127.0.0.1 only; DHT/LSD/PeX/UPnP off; opentracker on 127.0.0.1',
    },
  }
  let failed = false
  try {
    if (config.only === '' || config.only === 'download') {
      try {
        const download = await runDownloadBench({
          sizeMiB: config.downloadMiB,
          pieceExp: config.pieceExp,
          runs: config.runs,
          workDir: join(workDir, 'download'),
          timeoutMs: 600_000,
          log,
        })
        results.download = download
        results.downloadRatios = reportDownload(download)
        console.log(`Seedling CLI used: ${seedlingCli}`)
      } catch (err) {
        failed = true
        results.downloadError = (err as Error).message
        log(`download benchmark failed: ${(err as Error).message}`)
      }
    }
    if (config.only === '' || config.only === 'create') {
      try {
        const create = await runCreateBench({
          sizeMiB: config.createMiB,
          pieceExp: config.createPieceExp,
          runs: config.runs,
          workDir: join(workDir, 'create'),
          timeoutMs: 600_000,
          log,
        })
        results.create = create
        results.createRatios = reportCreate(create)
        console.log(`Seedling CLI used: ${seedlingCli}`)
      } catch (err) {
        failed = true
        results.createError = (err as Error).message
        log(`create benchmark failed: ${(err as Error).message}`)
      }
    }
    if (config.only === '' || config.only === 'startup') {
      try {
        const startup = await runStartupBench({
          cliRuns: config.runs * 3,
          hostRuns: config.runs,
          workDir: join(workDir, 'startup'),
          timeoutMs: 60_000,
          log,
        })
        results.startup = startup
        console.log(reportStartup(startup))
      } catch (err) {
        failed = true
        results.startupError = (err as Error).message
        log(`start-up benchmark failed: ${(err as Error).message}`)
      }
    }
  } finally {
    await killAll()
    await removeDir(workDir)
  }
  const outDir = join(benchDir, 'results')
  await mkdir(outDir, { recursive: true })
  await writeFile(join(outDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n')
  log(`results written to ${join(outDir, 'latest.json')}`)
  return failed ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(err)
    await killAll()
    process.exit(1)
  },
)
