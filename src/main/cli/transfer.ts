/**
 * `seedling download` and `seedling seed`: one engine, one torrent, progress on the terminal, a clean stop
 * on SIGINT/SIGTERM (resume data saved, session marked clean).
 */
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { SettingsPatch, TorrentSource, TorrentSummary } from '@shared/api'
import { formatBytes, formatEta, formatSpeed } from '@shared/format'
import { TorrentEngine } from '../engine/engine'
import { PathGuard } from '../engine/path-guard'
import { looksLikeInfoHash, readTorrentFile } from './info-command'
import { UsageError } from './usage-error'

export interface NetworkFlags {
  trackers: string[]
  peers: string[]
  port?: number
  dht: boolean
  lsd: boolean
  upnp: boolean
  pex: boolean
  encryption?: 'prefer' | 'require' | 'disable'
  stateDir?: string
}

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
  /** Resolves when the user asks to stop (SIGINT/SIGTERM). */
  stopSignal: Promise<string>
  isTTY: boolean
  write: (text: string) => void
}

/** Turns a CLI argument into a torrent source: an existing file, a magnet link or a bare info hash. */
export async function readSource(input: string): Promise<TorrentSource> {
  if (/^magnet:/i.test(input)) return { kind: 'magnet', uri: input }
  const stat = await fs.stat(input).catch(() => null)
  if (stat?.isFile()) {
    return { kind: 'file', data: Buffer.from(await readTorrentFile(input)).toString('base64') }
  }
  if (looksLikeInfoHash(input)) return { kind: 'infoHash', infoHash: input }
  throw new UsageError(`${input}: not a .torrent file, magnet link or info hash`)
}

function overrides(flags: NetworkFlags): SettingsPatch {
  return {
    dht: flags.dht,
    lsd: flags.lsd,
    natTraversal: flags.upnp,
    pex: flags.pex,
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.encryption ? { encryption: flags.encryption } : {}),
  }
}

/**
 * `downloadInto`: the folder a .torrent from elsewhere will write to, judged by the folder policy before
 * the engine starts, so a refused folder is one line and nothing is created (not even the folder).
 */
async function openEngine(
  flags: NetworkFlags,
  downloadDir: string,
  io: CliIo,
  downloadInto?: string,
): Promise<{ engine: TorrentEngine; cleanup: () => Promise<void> }> {
  // Without --state-dir the session is throwaway; the data folder itself is still rechecked on a rerun.
  const stateDir = flags.stateDir
    ? path.resolve(flags.stateDir)
    : await fs.mkdtemp(path.join(os.tmpdir(), 'seedling-cli-'))
  const dropState = async (): Promise<void> => {
    if (!flags.stateDir) await fs.rm(stateDir, { recursive: true, force: true })
  }
  if (downloadInto) {
    const guard = await PathGuard.create({ stateDir })
    await guard.checkDownloadFolder(downloadInto).catch(async (err: unknown) => {
      await dropState()
      throw err
    })
  }
  const engine = await TorrentEngine.open({
    stateDir,
    defaultDownloadDir: downloadDir,
    overrides: overrides(flags),
    peers: flags.peers,
    log: (m) => io.err(m),
  })
  const cleanup = async (): Promise<void> => {
    await engine.close()
    await dropState()
  }
  return { engine, cleanup }
}

function progressLine(s: TorrentSummary): string {
  const pct = (s.progress * 100).toFixed(1).padStart(5)
  return (
    `${pct}%  ${formatBytes(s.completedLength)}/${formatBytes(s.selectedLength)}  ` +
    `down ${formatSpeed(s.downloadSpeed)}  up ${formatSpeed(s.uploadSpeed)}  ` +
    `peers ${s.peers} (${s.seeds} seeds)  eta ${formatEta(s.eta)}  ${s.status}`
  )
}

function bar(progress: number, width = 24): string {
  const full = Math.round(progress * width)
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`
}

/** Resolves when the torrent has everything selected, verified; rejects on a torrent error. */
function waitForCompletion(
  engine: TorrentEngine,
  infoHash: string,
  io: CliIo,
  label: string,
): Promise<TorrentSummary> {
  return new Promise((resolve, reject) => {
    let lastPrint = 0
    const check = (s: TorrentSummary): void => {
      if (s.infoHash !== infoHash) return
      if (s.status === 'error') {
        off()
        reject(new Error(s.error ?? 'torrent failed'))
        return
      }
      const now = Date.now()
      if (io.isTTY) io.write(`\r${label} ${bar(s.progress)} ${progressLine(s)}\x1b[K`)
      else if (now - lastPrint >= 2000) {
        lastPrint = now
        io.out(`${label} ${progressLine(s)}`)
      }
      if (s.status === 'seeding') {
        off()
        if (io.isTTY) io.write('\n')
        resolve(s)
      }
    }
    const off = engine.on('torrents:changed', (list) => list.forEach(check))
    engine.listTorrents().then((list) => list.forEach(check), reject)
  })
}

async function untilStopped<T>(work: Promise<T>, io: CliIo): Promise<T | 'stopped'> {
  return Promise.race([work, io.stopSignal.then(() => 'stopped' as const)])
}

export async function runDownload(
  input: string,
  opts: NetworkFlags & { dir: string; seed: boolean },
  io: CliIo,
): Promise<number> {
  const source = await readSource(input)
  const dir = path.resolve(opts.dir)
  const { engine, cleanup } = await openEngine(opts, dir, io, dir)
  try {
    const { torrent, duplicate } = await engine.addTorrent({
      source,
      downloadDir: dir,
      trackers: opts.trackers,
    })
    // By the flag: a paused torrent being checked on disk reports 'checking'.
    if (duplicate && torrent.paused) {
      await engine.resumeTorrents({ infoHashes: [torrent.infoHash] })
    }
    io.out(`infoHash: ${torrent.infoHash}`)
    const webrtc = (await engine.getStats()).webrtc
    if (webrtc.note) io.err(webrtc.note)
    const done = await untilStopped(waitForCompletion(engine, torrent.infoHash, io, 'download'), io)
    if (done === 'stopped') {
      io.err('interrupted; progress saved')
      return 1
    }
    io.out(`done: ${done.name} (${formatBytes(done.selectedLength)}) in ${dir}`)
    if (!opts.seed) return 0
    io.out('seeding; press Ctrl+C to stop')
    await io.stopSignal
    return 0
  } finally {
    await cleanup()
  }
}

export async function runSeed(
  input: string,
  opts: NetworkFlags & { dir?: string },
  io: CliIo,
): Promise<number> {
  const target = path.resolve(input)
  const stat = await fs.stat(target).catch(() => null)
  if (!stat) throw new UsageError(`${input}: no such file or folder`)
  const isTorrentFile = stat.isFile() && target.toLowerCase().endsWith('.torrent')
  const dir = isTorrentFile ? path.resolve(opts.dir ?? process.cwd()) : path.dirname(target)
  const { engine, cleanup } = await openEngine(opts, dir, io, isTorrentFile ? dir : undefined)
  try {
    let torrent: TorrentSummary
    if (isTorrentFile) {
      const source = await readSource(target)
      torrent = (await engine.addTorrent({ source, downloadDir: dir, trackers: opts.trackers }))
        .torrent
    } else {
      io.err(`hashing ${input}...`)
      // Made by the engine, so it seeds from where the data is (even the home folder, where a .torrent
      // from elsewhere may not download): the torrent holds only these files.
      const created = await engine.createTorrent({
        requestId: 'seed',
        path: target,
        trackers: opts.trackers,
      })
      torrent = created.torrent!
    }
    io.out(`infoHash: ${torrent.infoHash}`)
    io.out(`magnet: ${torrent.magnetURI}`)
    const checked = await untilStopped(verifyComplete(engine, torrent.infoHash), io)
    if (checked === 'stopped') return 0
    if (!checked.ok) {
      io.err(`the data in ${dir} does not match the torrent: ${checked.reason}`)
      return 1
    }
    io.out(
      `seeding ${checked.summary.name} (${formatBytes(checked.summary.length)}); press Ctrl+C to stop`,
    )
    const stats = await engine.getStats()
    // The port actually in use: a taken --port is given up for a free one rather than failing.
    io.out(`listening on port ${stats.port}`)
    if (stats.webrtc.note) io.err(stats.webrtc.note)
    await io.stopSignal
    return 0
  } finally {
    await cleanup()
  }
}

/** Waits for the initial hash check and reports whether every piece was found on disk. */
function verifyComplete(
  engine: TorrentEngine,
  infoHash: string,
): Promise<{ ok: true; summary: TorrentSummary } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    const check = (s: TorrentSummary): void => {
      if (s.infoHash !== infoHash) return
      if (s.status === 'error') {
        off()
        resolve({ ok: false, reason: s.error ?? 'error' })
      } else if (s.status === 'seeding') {
        off()
        resolve({ ok: true, summary: s })
      } else if (s.status === 'downloading') {
        off()
        resolve({
          ok: false,
          reason: `${(s.progress * 100).toFixed(1)}% of it is there (${formatBytes(s.completedLength)} of ${formatBytes(s.selectedLength)})`,
        })
      }
    }
    const off = engine.on('torrents:changed', (list) => list.forEach(check))
    void engine.listTorrents().then((list) => list.forEach(check))
  })
}
