// qbittorrent-nox (Debian bookworm: 4.5.2, libtorrent 2.0) with a throw-away profile, loopback only.
//
// The config file is written before the first start. Keys verified against 4.5.2 by reading them
// back through /api/v2/app/preferences and by `ss -lntup` inside `unshare -n`:
//   [LegalNotice] Accepted=true            (4.5 has no --confirm-legal-notice flag)
//   [BitTorrent]  Session\DHTEnabled, Session\LSDEnabled, Session\PeXEnabled = false
//                 Session\Port=N, Session\Interface=lo, Session\InterfaceName=lo,
//                 Session\InterfaceAddress=127.0.0.1 (listens on 127.0.0.1 TCP+uTP only)
//                 Session\QueueingSystemEnabled=false (no queued torrents),
//                 Session\MultiConnectionsPerIp=true (every peer is 127.0.0.1!)
//   [Network]     PortForwardingEnabled=false (UPnP/NAT-PMP; the 4.5 key)
//   [Preferences] Connection\UPnP=false (pre-4.4 key, harmless), Connection\ResolvePeerCountries=false
//                 (otherwise it downloads a GeoIP database), WebUI\Address=127.0.0.1, WebUI\Port=N,
//                 WebUI\LocalHostAuth=false (no login from 127.0.0.1), WebUI\HostHeaderValidation=false,
//                 WebUI\CSRFProtection=false, General\Locale=en
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeTempDir, removeDir } from './files'
import { getFreePort } from './ports'
import { spawnTracked, waitUntil, withTimeout } from './proc'
import type { TrackedProcess } from './proc'

export interface QbtTorrentInfo {
  hash: string
  name: string
  state: string
  progress: number
  size: number
  save_path: string
  num_seeds: number
  num_leechs: number
  uploaded: number
  downloaded: number
  dlspeed: number
  upspeed: number
}

export interface AddTorrentOptions {
  savePath: string
  skipChecking?: boolean
  paused?: boolean
}

export interface Qbittorrent {
  webuiPort: number
  /** The BitTorrent listen port (TCP and uTP on 127.0.0.1). */
  port: number
  profileDir: string
  proc: TrackedProcess
  api(path: string, form?: Record<string, string> | FormData): Promise<Response>
  addTorrent(torrentFile: string, opts: AddTorrentOptions): Promise<void>
  info(hash: string): Promise<QbtTorrentInfo | undefined>
  /** Waits until the torrent is complete (progress 1) and seeding (not checking/paused/error). */
  waitSeeding(hash: string, timeoutMs?: number): Promise<QbtTorrentInfo>
  waitComplete(hash: string, timeoutMs?: number): Promise<QbtTorrentInfo>
  /** Adds a peer directly (needs the torrent to exist). */
  addPeers(hash: string, peers: string[]): Promise<void>
  /** The last lines of qBittorrent's own log file. */
  logTail(n?: number): Promise<string>
  stop(): Promise<void>
}

const SEEDING_STATES = new Set(['uploading', 'stalledUP', 'forcedUP', 'queuedUP'])
const ERROR_STATES = new Set(['error', 'missingFiles'])

export interface QbtConfigOptions {
  port: number
  webuiPort: number
  savePath: string
  /** Extra `Session\\Key=value` lines for the [BitTorrent] section (e.g. tuning for a benchmark). */
  session?: Record<string, string>
}

export function qbtConfig(o: QbtConfigOptions): string {
  const extra = Object.entries(o.session ?? {})
    .map(([k, v]) => `Session\\${k}=${v}\n`)
    .join('')
  return `[LegalNotice]
Accepted=true

[BitTorrent]
Session\\DHTEnabled=false
Session\\LSDEnabled=false
Session\\PeXEnabled=false
Session\\Port=${o.port}
Session\\Interface=lo
Session\\InterfaceName=lo
Session\\InterfaceAddress=127.0.0.1
Session\\QueueingSystemEnabled=false
Session\\MultiConnectionsPerIp=true
Session\\AnonymousModeEnabled=false
Session\\DefaultSavePath=${o.savePath}
Session\\AddTorrentPaused=false
${extra}
[Network]
PortForwardingEnabled=false

[Preferences]
Connection\\UPnP=false
Connection\\ResolvePeerCountries=false
General\\Locale=en
WebUI\\Address=127.0.0.1
WebUI\\Port=${o.webuiPort}
WebUI\\LocalHostAuth=false
WebUI\\HostHeaderValidation=false
WebUI\\CSRFProtection=false
`
}

export async function startQbittorrent(
  opts: { startTimeoutMs?: number; session?: Record<string, string> } = {},
): Promise<Qbittorrent> {
  const profileDir = await makeTempDir('qbt')
  const configDir = join(profileDir, 'qBittorrent', 'config')
  await mkdir(configDir, { recursive: true })
  const port = await getFreePort()
  const webuiPort = await getFreePort()
  await writeFile(
    join(configDir, 'qBittorrent.conf'),
    qbtConfig({ port, webuiPort, savePath: join(profileDir, 'downloads'), session: opts.session }),
  )
  const proc = spawnTracked('qbittorrent-nox', 'qbittorrent-nox', [`--profile=${profileDir}`], {
    cwd: profileDir,
    env: {
      ...process.env,
      HOME: profileDir,
      XDG_CONFIG_HOME: profileDir,
      XDG_DATA_HOME: profileDir,
    },
  })
  const base = `http://127.0.0.1:${webuiPort}/api/v2`

  const api = async (path: string, form?: Record<string, string> | FormData): Promise<Response> => {
    const init: RequestInit = { signal: AbortSignal.timeout(10_000) }
    if (form) {
      init.method = 'POST'
      init.body = form instanceof FormData ? form : new URLSearchParams(form)
    }
    const res = await fetch(`${base}/${path}`, init)
    if (!res.ok) throw new Error(`qbittorrent ${path}: HTTP ${res.status} ${await res.text()}`)
    return res
  }

  const info = async (hash: string): Promise<QbtTorrentInfo | undefined> => {
    const res = await api(`torrents/info?hashes=${hash}`)
    const list = (await res.json()) as QbtTorrentInfo[]
    return list[0]
  }

  const logTail = async (n = 30): Promise<string> => {
    try {
      const log = await readFile(join(profileDir, 'qBittorrent', 'data', 'logs', 'qbittorrent.log'))
      return log.toString('utf8').split('\n').slice(-n).join('\n')
    } catch {
      return '(no qbittorrent.log)'
    }
  }

  const waitState = async (
    hash: string,
    pred: (t: QbtTorrentInfo) => boolean,
    what: string,
    timeoutMs: number,
  ): Promise<QbtTorrentInfo> => {
    let last: QbtTorrentInfo | undefined
    try {
      return await waitUntil(
        async () => {
          last = await info(hash)
          if (last && ERROR_STATES.has(last.state)) {
            throw new Error(`torrent ${hash} is in state ${last.state}`)
          }
          return last && pred(last) ? last : undefined
        },
        { timeoutMs, intervalMs: 300, what, procs: [proc] },
      )
    } catch (err) {
      const state = last ? `${last.state} progress=${last.progress}` : 'not found'
      throw new Error(
        `${(err as Error).message}\nlast torrent state: ${state}\nqbittorrent.log:\n${await logTail()}`,
      )
    }
  }

  const qbt: Qbittorrent = {
    webuiPort,
    port,
    profileDir,
    proc,
    api,
    async addTorrent(torrentFile, o) {
      const form = new FormData()
      const data = await readFile(torrentFile)
      form.append('torrents', new Blob([new Uint8Array(data)]), 'file.torrent')
      form.append('savepath', o.savePath)
      form.append('skip_checking', o.skipChecking ? 'true' : 'false')
      form.append('paused', o.paused ? 'true' : 'false')
      form.append('contentLayout', 'Original')
      form.append('autoTMM', 'false')
      const res = await api('torrents/add', form)
      const text = await res.text()
      if (!/^ok/i.test(text.trim())) throw new Error(`qbittorrent torrents/add: ${text}`)
    },
    info,
    waitSeeding(hash, timeoutMs = 120_000) {
      return waitState(
        hash,
        (t) => t.progress >= 1 && SEEDING_STATES.has(t.state),
        `qbittorrent to seed ${hash}`,
        timeoutMs,
      )
    },
    waitComplete(hash, timeoutMs = 120_000) {
      return waitState(
        hash,
        (t) => t.progress >= 1 && !t.state.startsWith('checking'),
        `qbittorrent to complete ${hash}`,
        timeoutMs,
      )
    },
    async addPeers(hash, peers) {
      // torrents/add returns before the torrent exists; peers for a hash not there yet are dropped.
      await waitUntil(() => info(hash), {
        timeoutMs: 30_000,
        what: `qbittorrent to list ${hash}`,
        procs: [proc],
      })
      await api('torrents/addPeers', { hashes: hash, peers: peers.join('|') })
    },
    logTail,
    async stop() {
      if (proc.running) {
        // Clean shutdown through the API first, then signals (SIGTERM, SIGKILL) if it hangs.
        try {
          await api('app/shutdown', {})
        } catch {
          // fall through to signals
        }
        if (!(await withTimeout(proc.exited, 10_000))) await proc.stop('SIGTERM', 5_000)
      }
      await removeDir(profileDir)
    },
  }

  try {
    await waitUntil(
      async () => {
        const res = await fetch(`${base}/app/version`, { signal: AbortSignal.timeout(2_000) })
        return res.ok
      },
      {
        timeoutMs: opts.startTimeoutMs ?? 30_000,
        intervalMs: 200,
        what: 'qbittorrent-nox WebUI on 127.0.0.1',
        procs: [proc],
      },
    )
  } catch (err) {
    await qbt.stop()
    throw err
  }
  return qbt
}

/** One peer of a torrent as qBittorrent's WebUI lists it (sync/torrentPeers). */
export interface QbtPeer {
  /** ip:port, the key qBittorrent lists it under. */
  endpoint: string
  port: number
  client: string
  /** qBittorrent's flag letters, e.g. "X" for a peer learned from PEX, "I" for an incoming one. */
  flags: string
  progress: number
}

/** The peers qBittorrent has for a torrent now (a full snapshot: rid 0). */
export async function torrentPeers(qbt: Qbittorrent, hash: string): Promise<QbtPeer[]> {
  const res = await qbt.api(`sync/torrentPeers?hash=${hash}&rid=0`)
  const body = (await res.json()) as {
    peers?: Record<string, { port?: number; client?: string; flags?: string; progress?: number }>
  }
  return Object.entries(body.peers ?? {}).map(([endpoint, p]) => ({
    endpoint,
    port: p.port ?? 0,
    client: p.client ?? '',
    flags: p.flags ?? '',
    progress: p.progress ?? 0,
  }))
}
