// `npm run bench`: Seedling against reference clients, on 127.0.0.1 only. It re-runs itself inside
// `unshare -n` (a private network namespace with only loopback) where that is permitted (netns.ts).
//
//  download  qbittorrent-nox seeds BENCH_MIB (256) MiB; Seedling `cli download`, aria2c and a second
//            qbittorrent-nox each fetch it BENCH_RUNS (3) times, in rotating order (download.ts).
//  create    a .torrent of BENCH_CREATE_MIB (1024) MiB by Seedling `cli create` and by mktorrent
//            (-t 1 and -t <cores>), same piece length (create.ts).
//  recheck   BENCH_RECHECK_MIB (1024) MiB: the engine's recheck vs transmission-daemon's verify
//            (recheck.ts).
//  scale     BENCH_SCALE_TORRENTS (500) small torrents seeding in one session, Seedling and
//            transmission-daemon: restart to seeding, RSS, open fds, tick, event-loop delay (scale.ts).
//  seed      Seedling seeding BENCH_SEED_MIB (64) MiB to aria2c over and over for BENCH_SEED_S (180)
//            seconds; RSS time-lapse and its slope (seed-rss.ts).
//  startup   `seedling info` vs `node -e 0`, and the engine host's time to ready (startup.ts).
//
// BENCH_ONLY: a comma-separated list of section names (default all). BENCH_QUICK=1: small sizes and
// one run, for trying changes (each figure above can still be set). Other settings: BENCH_PIECE_EXP
// (download piece length 2^n, default 18), BENCH_CREATE_PIECE_EXP (20), BENCH_RECHECK_PIECE_EXP (20),
// BENCH_TMP (parent of the temp work folder), SEEDLING_CLI (see test/interop/harness/seedling-cli.ts),
// BENCH_SEEDLING_TSX=1 (run the CLI from source with tsx).
// Results: the tables on stdout, ending with every target of issue 9 against this run's figures, and
// bench/results/latest.json (a quick run writes bench/results/quick.json instead).
//
// Which Seedling CLI runs: unless SEEDLING_CLI or BENCH_SEEDLING_TSX=1 says otherwise, the bench
// first builds the bundled CLI (`npm run build:cli` -> out/cli/index.mjs, what the `seedling` bin
// runs) and times `node out/cli/index.mjs`, so tsx's start-up and on-the-fly transpiling (~0.7 s of
// CPU) are not counted. recheck, scale and seed run the engine in a bundled child process
// (engine-client.ts). The output and latest.json say which CLI was used.
// Measurement method: the CLI and aria2c run under GNU time (measure.ts: CPU = user+sys of the
// process tree, peak RSS = largest single process; wall = spawn to exit, so start-up, tracker announce
// and final verification are included, the same for both). Daemons (transmission-daemon,
// qbittorrent-nox, the engine child) are read from /proc over the phase measured (procstat.ts). A
// client that cannot run is shown as "not available", never with made-up numbers.
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
import { runDownloadBench } from './download'
import { GNU_TIME, gnuTimeAvailable } from './measure'
import { reexecInPrivateNetwork } from './netns'
import { runRecheckBench } from './recheck'
import {
  reportCreate,
  reportDownload,
  reportRecheck,
  reportScale,
  reportSeed,
  reportTargets,
  targetRows,
} from './report'
import type { Ratios } from './report'
import { runScaleBench } from './scale'
import { runSeedRssBench } from './seed-rss'
import { reportStartup, runStartupBench } from './startup'

function envInt(name: string, def: number, min: number, max: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return def
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}`)
  }
  return n
}

const quick = process.env.BENCH_QUICK === '1'
const SECTIONS = ['download', 'create', 'recheck', 'scale', 'seed', 'startup'] as const
type Section = (typeof SECTIONS)[number]

function selectedSections(): Section[] {
  const raw = (process.env.BENCH_ONLY ?? '').trim()
  if (raw === '') return [...SECTIONS]
  const names = raw.split(',').map((n) => n.trim())
  for (const n of names) {
    if (!(SECTIONS as readonly string[]).includes(n)) {
      throw new Error(`BENCH_ONLY: unknown section "${n}" (one of ${SECTIONS.join(', ')})`)
    }
  }
  return names as Section[]
}

const config = {
  quick,
  downloadMiB: envInt('BENCH_MIB', quick ? 32 : 256, 1, 65536),
  createMiB: envInt('BENCH_CREATE_MIB', quick ? 128 : 1024, 1, 65536),
  recheckMiB: envInt('BENCH_RECHECK_MIB', quick ? 128 : 1024, 1, 65536),
  scaleTorrents: envInt('BENCH_SCALE_TORRENTS', quick ? 50 : 500, 10, 10_000),
  seedMiB: envInt('BENCH_SEED_MIB', quick ? 16 : 64, 1, 4096),
  seedS: envInt('BENCH_SEED_S', quick ? 30 : 180, 10, 3600),
  runs: envInt('BENCH_RUNS', quick ? 1 : 3, 1, 50),
  pieceExp: envInt('BENCH_PIECE_EXP', 18, 14, 24),
  createPieceExp: envInt('BENCH_CREATE_PIECE_EXP', 20, 14, 24),
  recheckPieceExp: envInt('BENCH_RECHECK_PIECE_EXP', 20, 14, 24),
  sections: selectedSections(),
}

const TOOLS: Record<Section, string[]> = {
  download: ['qbittorrent-nox', 'aria2c', 'opentracker', 'mktorrent'],
  create: ['mktorrent'],
  recheck: ['transmission-daemon', 'mktorrent'],
  scale: ['transmission-daemon'],
  seed: ['aria2c', 'opentracker', 'mktorrent'],
  startup: [],
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

async function runSection(
  name: Section,
  workDir: string,
  seedlingCli: string,
): Promise<{ result: unknown; ratios?: Ratios }> {
  const dir = join(workDir, name)
  switch (name) {
    case 'download': {
      const r = await runDownloadBench({
        sizeMiB: config.downloadMiB,
        pieceExp: config.pieceExp,
        runs: config.runs,
        workDir: dir,
        timeoutMs: 600_000,
        log,
      })
      const ratios = reportDownload(r)
      console.log(`Seedling CLI used: ${seedlingCli}`)
      return { result: r, ratios }
    }
    case 'create': {
      const r = await runCreateBench({
        sizeMiB: config.createMiB,
        pieceExp: config.createPieceExp,
        runs: config.runs,
        workDir: dir,
        timeoutMs: 600_000,
        log,
      })
      const ratios = reportCreate(r)
      console.log(`Seedling CLI used: ${seedlingCli}`)
      return { result: r, ratios }
    }
    case 'recheck': {
      const r = await runRecheckBench({
        sizeMiB: config.recheckMiB,
        pieceExp: config.recheckPieceExp,
        runs: config.runs,
        workDir: dir,
        timeoutMs: 600_000,
        log,
      })
      return { result: r, ratios: reportRecheck(r) }
    }
    case 'scale': {
      const r = await runScaleBench({
        torrents: config.scaleTorrents,
        fileKiB: 64,
        windowMs: quick ? 12_000 : 20_000,
        workDir: dir,
        timeoutMs: 600_000,
        log,
      })
      return { result: r, ratios: reportScale(r) }
    }
    case 'seed': {
      const r = await runSeedRssBench({
        sizeMiB: config.seedMiB,
        durationS: config.seedS,
        workDir: dir,
        log,
      })
      return { result: r, ratios: reportSeed(r) }
    }
    case 'startup': {
      const r = await runStartupBench({
        cliRuns: config.runs * 3,
        hostRuns: config.runs,
        paintRuns: config.runs,
        workDir: dir,
        timeoutMs: 60_000,
        log,
      })
      console.log(reportStartup(r))
      return { result: r }
    }
  }
}

async function main(): Promise<number> {
  const reexec = reexecInPrivateNetwork(log)
  if (reexec !== null) return reexec
  const benchDir = dirname(fileURLToPath(import.meta.url))
  requireTools([...new Set(config.sections.flatMap((s) => TOOLS[s]))])
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
  const seedlingCli = config.sections.some((s) => s === 'download' || s === 'create')
    ? selectSeedlingCli()
    : 'not used'
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
      cpu: `${GNU_TIME} %U+%S: user+sys CPU seconds of the client process tree; daemons: /proc stat`,
      peakRss: `${GNU_TIME} %M: largest peak RSS of any single process in the tree; daemons: VmHWM`,
      network: '127.0.0.1 only; DHT/LSD/PeX/UPnP off; opentracker on 127.0.0.1',
    },
  }
  const ratios: Record<string, Ratios | undefined> = {}
  let failed = false
  try {
    for (const name of config.sections) {
      try {
        const r = await runSection(name, workDir, seedlingCli)
        results[name] = r.result
        if (r.ratios) results[`${name}Ratios`] = ratios[name] = r.ratios
      } catch (err) {
        failed = true
        results[`${name}Error`] = (err as Error).message
        log(`${name} benchmark failed: ${(err as Error).message}`)
      }
      await killAll()
    }
  } finally {
    await killAll()
    await removeDir(workDir)
  }
  const targets = targetRows(ratios)
  if (targets.length) reportTargets(targets)
  results.targets = targets
  const outDir = join(benchDir, 'results')
  await mkdir(outDir, { recursive: true })
  const out = join(outDir, quick ? 'quick.json' : 'latest.json')
  await writeFile(out, JSON.stringify(results, null, 2) + '\n')
  log(`results written to ${out}`)
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
