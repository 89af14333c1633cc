// aria2c (Debian bookworm: 1.36.0) as a BitTorrent downloader or seeder on loopback.
//
// Flags (all checked against 1.36): --no-conf (ignore ~/.aria2/aria2.conf), --enable-dht=false,
// --enable-dht6=false, --bt-enable-lpd=false, --enable-peer-exchange=false, --listen-port=N,
// --interface=127.0.0.1 (binds its sockets to loopback; works inside `unshare -n`),
// --disable-ipv6=true, --async-dns=false (no resolv.conf lookups; trackers are IP literals),
// --file-allocation=none, --seed-time=0 (download then exit) or --seed-ratio=0.0 without
// --seed-time (seed until stopped), --check-integrity=true (hash existing data; needed to seed),
// --bt-tracker=URL (extra trackers), --bt-exclude-tracker='*' (drop the torrent's own ones),
// --bt-stop-timeout=N (give up when nothing arrives for N s: bounds a stuck download).
// aria2 cannot be given a peer address directly; it finds peers through the tracker.
// Exit code 0 = everything finished; it prints "Download complete: <path>" per finished file and
// a "Download Results" table with "OK".
import { join } from 'node:path'
import { getFreePort } from './ports'
import { spawnTracked } from './proc'
import type { TrackedProcess } from './proc'

export interface Aria2Options {
  /** A .torrent file or a magnet URI. */
  torrentFile: string
  /** Directory the torrent's content goes in (aria2 -d). */
  dir: string
  port?: number
  /** Extra tracker URLs. */
  trackers?: string[]
  /** Ignore the announce URLs in the .torrent. */
  excludeTorrentTrackers?: boolean
  /** aria2 log file (info level); default: none. */
  logFile?: string
  extraArgs?: string[]
  /** Prepended to the command line, e.g. ['/usr/bin/time', '-f', '...', '-o', file]. */
  wrapper?: string[]
}

function spawnAria2(name: string, o: Aria2Options, args: string[]): TrackedProcess {
  const [cmd, ...pre] = [...(o.wrapper ?? []), 'aria2c']
  return spawnTracked(name, cmd as string, [...pre, ...args], { cwd: o.dir })
}

export interface Aria2 {
  proc: TrackedProcess
  port: number
  /** Stops aria2c (SIGTERM to its process group, SIGKILL after a grace period). */
  stop(): Promise<void>
}

function commonArgs(o: Aria2Options, port: number): string[] {
  const args = [
    '--no-conf',
    '--enable-dht=false',
    '--enable-dht6=false',
    '--bt-enable-lpd=false',
    '--enable-peer-exchange=false',
    `--listen-port=${port}`,
    '--interface=127.0.0.1',
    '--disable-ipv6=true',
    '--async-dns=false',
    '--file-allocation=none',
    '--allow-overwrite=true',
    '--auto-file-renaming=false',
    '--bt-save-metadata=false',
    '--console-log-level=notice',
    '--summary-interval=1',
    '--download-result=full',
    `--dir=${o.dir}`,
  ]
  if (o.trackers?.length) args.push(`--bt-tracker=${o.trackers.join(',')}`)
  if (o.excludeTorrentTrackers) args.push('--bt-exclude-tracker=*')
  if (o.logFile) args.push(`--log=${o.logFile}`, '--log-level=info')
  return args
}

/** Starts an aria2c download that exits when complete (--seed-time=0). Use `downloadWithAria2`. */
export async function startAria2Download(
  o: Aria2Options & { stallTimeoutS?: number },
): Promise<Aria2> {
  const port = o.port ?? (await getFreePort())
  const args = [
    ...commonArgs(o, port),
    '--seed-time=0',
    `--bt-stop-timeout=${o.stallTimeoutS ?? 60}`,
    ...(o.extraArgs ?? []),
    o.torrentFile,
  ]
  const proc = spawnAria2('aria2c-download', o, args)
  return { proc, port, stop: async () => void (await proc.stop()) }
}

/** Downloads with aria2c and resolves when it exits 0; throws with its output otherwise. */
export async function downloadWithAria2(
  o: Aria2Options & { timeoutMs: number; stallTimeoutS?: number },
): Promise<{ wallMs: number; proc: TrackedProcess }> {
  const t0 = Date.now()
  const a = await startAria2Download(o)
  try {
    const exit = await a.proc.waitExit(o.timeoutMs)
    if (exit.code !== 0) throw new Error(`aria2c download failed\n${a.proc.describe(40)}`)
    return { wallMs: Date.now() - t0, proc: a.proc }
  } finally {
    await a.stop()
  }
}

/**
 * Starts aria2c seeding existing data: it hash-checks `dir` first, then seeds until stopped.
 * Resolves once the check has finished and it is seeding.
 */
export async function startAria2Seed(
  o: Aria2Options & { readyTimeoutMs?: number },
): Promise<Aria2> {
  const port = o.port ?? (await getFreePort())
  const args = [
    ...commonArgs(o, port),
    '--check-integrity=true',
    '--bt-hash-check-seed=true',
    '--seed-ratio=0.0',
    ...(o.extraArgs ?? []),
    o.torrentFile,
  ]
  const proc = spawnAria2('aria2c-seed', o, args)
  const a: Aria2 = { proc, port, stop: async () => void (await proc.stop()) }
  try {
    // Summary lines look like "[#2089b0 SEED(0.0) CN:0 SD:0]" once it is seeding.
    await proc.waitForLine(/SEED\(/, o.readyTimeoutMs ?? 60_000)
  } catch (err) {
    await a.stop()
    throw err
  }
  return a
}

export function aria2ControlFile(dir: string, name: string): string {
  return join(dir, `${name}.aria2`)
}
