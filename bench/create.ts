// Torrent-creation benchmark: one file hashed by mktorrent and by Seedling (`cli create`), with the
// same piece length and the same tracker URL (never contacted). mktorrent runs twice: with one
// hashing thread (-t 1, like Seedling's single hashing loop: the fair CPU comparison) and with one
// thread per core (-t N, its default: what a user of mktorrent gets). The file is written first, so
// every run reads from the page cache. Both single-file .torrents must have the same info hash.
import { cpus } from 'node:os'
import { join } from 'node:path'
import { readTorrentFile } from '../test/interop/harness/files'
import { spawnTracked } from '../test/interop/harness/proc'
import { writeSeededFile } from '../test/support/test-data'
import {
  REPO_ROOT,
  seedlingCliAvailable,
  seedlingCommand,
} from '../test/interop/harness/seedling-cli'
import { medianUsage, readTimeFile, round, timeWrapper } from './measure'
import type { Usage } from './measure'

export interface CreateRun extends Usage {
  mibPerS: number
  infoHash: string
}

export interface CreateToolResult {
  tool: string
  /** A start-up baseline row: nothing hashed, so no MiB/s. */
  startupOnly?: boolean
  available: boolean
  note?: string
  runs: CreateRun[]
  median?: CreateRun
}

export interface CreateBenchResult {
  sizeMiB: number
  pieceLength: number
  sameInfoHash: boolean | null
  tools: CreateToolResult[]
}

export interface CreateBenchConfig {
  sizeMiB: number
  pieceExp: number
  runs: number
  workDir: string
  timeoutMs: number
  log: (line: string) => void
}

const ANNOUNCE = 'http://127.0.0.1:1/announce'

async function timed(
  name: string,
  cmd: string[],
  cfg: CreateBenchConfig,
  out: string | undefined,
): Promise<CreateRun> {
  const timeFile = join(cfg.workDir, `${name}.time`)
  const [command, ...args] = [...(timeWrapper(timeFile) ?? []), ...cmd]
  const t0 = process.hrtime.bigint()
  const proc = spawnTracked(name, command as string, args, { cwd: REPO_ROOT })
  try {
    const exit = await proc.waitExit(cfg.timeoutMs)
    if (exit.code !== 0) throw new Error(`${name} failed\n${proc.describe(40)}`)
  } finally {
    await proc.stop()
  }
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6
  const usage = await readTimeFile(timeFile, round(wallMs, 0))
  const infoHash = out ? (await readTorrentFile(out)).infoHash : ''

  const mibPerS = out ? round(cfg.sizeMiB / (wallMs / 1000), 1) : 0
  return { ...usage, infoHash, mibPerS }
}

export async function runCreateBench(cfg: CreateBenchConfig): Promise<CreateBenchResult> {
  const file = join(cfg.workDir, 'create.bin')
  cfg.log(`create: writing ${cfg.sizeMiB} MiB of test data`)
  await writeSeededFile(file, cfg.sizeMiB * 1024 * 1024, 'bench-create', 'create.bin')
  const pieceLength = 2 ** cfg.pieceExp
  const threads = cpus().length
  const mk1: CreateToolResult = { tool: 'mktorrent 1.1 -t 1', available: true, runs: [] }
  const mkN: CreateToolResult = { tool: `mktorrent 1.1 -t ${threads}`, available: true, runs: [] }
  const seedling: CreateToolResult = { tool: 'Seedling (cli create)', available: true, runs: [] }
  // What `cli create` costs before it hashes anything: start-up + module loading (`cli --help`).
  const startup: CreateToolResult = {
    tool: 'Seedling start-up only (cli --help)',
    startupOnly: true,
    available: true,
    runs: [],
  }
  if (!seedlingCliAvailable()) {
    for (const t of [seedling, startup]) {
      t.available = false
      t.note = 'not available (no src/main/cli/index.ts, or SEEDLING_CLI=none)'
    }
  }
  const mktorrent = (t: number, out: string): string[] => [
    'mktorrent',
    '-d',
    '-t',
    String(t),
    '-l',
    String(cfg.pieceExp),
    '-a',
    ANNOUNCE,
    '-o',
    out,
    file,
  ]
  for (let i = 0; i < cfg.runs; i++) {
    const jobs: Array<[CreateToolResult, () => Promise<CreateRun>]> = [
      [
        mk1,
        () =>
          timed(
            `mktorrent-t1-${i}`,
            mktorrent(1, join(cfg.workDir, `mk1-${i}.torrent`)),
            cfg,
            join(cfg.workDir, `mk1-${i}.torrent`),
          ),
      ],
      [
        mkN,
        () =>
          timed(
            `mktorrent-tN-${i}`,
            mktorrent(threads, join(cfg.workDir, `mkN-${i}.torrent`)),
            cfg,
            join(cfg.workDir, `mkN-${i}.torrent`),
          ),
      ],
    ]
    if (seedling.available) {
      const out = join(cfg.workDir, `seedling-${i}.torrent`)
      const cmd = [
        ...seedlingCommand(),
        'create',
        file,
        '-o',
        out,
        '--tracker',
        ANNOUNCE,
        '--piece-length',
        String(pieceLength),
        '--force',
      ]
      jobs.push([seedling, () => timed(`seedling-create-${i}`, cmd, cfg, out)])
      const help = [...seedlingCommand(), '--help']
      jobs.push([startup, () => timed(`seedling-help-${i}`, help, cfg, undefined)])
    }
    // Rotate the order each run.
    for (let j = 0; j < jobs.length; j++) {
      const [tool, job] = jobs[(i + j) % jobs.length] as [
        CreateToolResult,
        () => Promise<CreateRun>,
      ]
      const r = await job()
      tool.runs.push(r)
      const speed = tool.startupOnly ? '' : `${r.mibPerS} MiB/s, `
      cfg.log(
        `create: run ${i + 1} ${tool.tool} ${speed}${(r.wallMs / 1000).toFixed(2)} s, cpu ${r.cpuS ?? 'n/a'} s`,
      )
    }
  }
  const tools = [seedling, mk1, mkN, startup]
  for (const t of tools) {
    if (t.runs.length) {
      const m = medianUsage(t.runs)
      t.median = {
        ...m,
        infoHash: t.runs[0]?.infoHash ?? '',
        mibPerS: t.startupOnly ? 0 : round(cfg.sizeMiB / (m.wallMs / 1000), 1),
      }
    }
  }
  const hashes = new Set([seedling, mk1, mkN].flatMap((t) => t.runs.map((r) => r.infoHash)))
  return {
    sizeMiB: cfg.sizeMiB,
    pieceLength,
    sameInfoHash: seedling.runs.length ? hashes.size === 1 : null,
    tools,
  }
}
