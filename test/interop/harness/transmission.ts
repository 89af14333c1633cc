// transmission-daemon (Debian bookworm: 3.00) with a throw-away config dir, loopback only.
//
// settings.json is written before the first start (`transmission-daemon -f -g DIR`); the daemon
// reads it, then rewrites it on exit. Keys that matter (3.00 names; checked with `-d` and `ss`):
//   dht-enabled, lpd-enabled, pex-enabled, port-forwarding-enabled (UPnP/NAT-PMP) = false
//     (dht and port forwarding default to *true*, so leaving them out is not an option)
//   bind-address-ipv4=127.0.0.1 (also the source address of its tracker requests: curl
//     CURLOPT_INTERFACE), bind-address-ipv6=::1 (the default "::" would listen on every interface)
//   peer-port=N, peer-port-random-on-start=false; utp-enabled (uTP on the same UDP port)
//   rpc-bind-address=127.0.0.1, rpc-port=N, rpc-authentication-required=false,
//   rpc-whitelist-enabled=true, rpc-whitelist=127.0.0.1, rpc-host-whitelist-enabled=false
//   encryption: 0 prefer plaintext (tolerated), 1 prefer encrypted, 2 require encryption
//   download-queue-enabled / seed-queue-enabled / queue-stalled-enabled=false (nothing queued)
//   rename-partial-files=false (no ".part" names to race with the tree compare)
//   blocklist-enabled=false, watch-dir-enabled=false, incomplete-dir-enabled=false
//
// The RPC (POST http://127.0.0.1:N/transmission/rpc, JSON) answers 409 with an
// X-Transmission-Session-Id header first; the request is repeated with that header.
// torrent-get takes info hashes as ids. Status: 0 stopped, 1 check queued, 2 checking,
// 3 download queued, 4 downloading, 5 seed queued, 6 seeding.
//
// Two things about transmission 3.00 on a loopback-only swarm (both read in its source, both seen):
//  - It drops every 127.0.0.0/8 address it gets from a tracker (or PEX/DHT): tr_peerMgrAddPex ->
//    tr_address_is_valid_for_peers -> isMartianAddr. The announce succeeds ("Got 2 peers from
//    tracker") but it never dials them. Only *incoming* connections work, so the other client must
//    dial transmission: it has to learn transmission's address from the tracker (announce after
//    transmission did: see `waitAnnounced`) or be given it directly (Seedling's --peer).
//  - It keeps one peer per IP address per torrent (its peer "atoms" are keyed by the address alone).
//    A second client from 127.0.0.1 is turned away while transmission still believes an earlier one
//    is connected, and a uTP peer whose process exited is only noticed after a timeout. Use a fresh
//    daemon for each client under test; it starts in well under a second.
// On exit (session-close or SIGTERM) its "stopped" announces do not reliably reach the tracker, so a
// tracker keeps a dead 127.0.0.1:port seeder entry for the swarm: use a fresh tracker or torrent per
// daemon rather than trusting the tracker's seeder count.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeTempDir, removeDir } from './files'
import { getFreePort } from './ports'
import { spawnTracked, waitUntil, withTimeout } from './proc'
import type { TrackedProcess } from './proc'

export const TR_STATUS = {
  stopped: 0,
  checkWait: 1,
  checking: 2,
  downloadWait: 3,
  downloading: 4,
  seedWait: 5,
  seeding: 6,
} as const

export interface TrPeer {
  address: string
  port: number
  clientName: string
  flagStr: string
  isEncrypted: boolean
  isIncoming: boolean
  isUTP: boolean
  progress: number
}

export interface TrTorrent {
  id: number
  hashString: string
  name: string
  status: number
  percentDone: number
  leftUntilDone: number
  sizeWhenDone: number
  haveValid: number
  recheckProgress: number
  error: number
  errorString: string
  peers: TrPeer[]
  peersConnected: number
  downloadDir: string
  trackerStats: Array<{
    announce: string
    lastAnnounceResult: string
    lastAnnounceSucceeded: boolean
    lastAnnounceTime: number
    lastAnnouncePeerCount: number
  }>
}

const FIELDS = [
  'id',
  'hashString',
  'name',
  'status',
  'percentDone',
  'leftUntilDone',
  'sizeWhenDone',
  'haveValid',
  'recheckProgress',
  'error',
  'errorString',
  'peers',
  'peersConnected',
  'downloadDir',
  'trackerStats',
]

export interface TransmissionOptions {
  /** 0 prefer plaintext, 1 prefer encrypted (default), 2 require encryption. */
  encryption?: 0 | 1 | 2
  /** uTP on the peer port (default false: TCP only). */
  utp?: boolean
  /** Its peer address (TCP/uTP listen address, tracker requests' source): default 127.0.0.1. */
  bindAddress?: string
  /** Extra settings.json keys (override the defaults). */
  settings?: Record<string, unknown>
  startTimeoutMs?: number
}

export interface AddOptions {
  /** Where the torrent's content is (seeding) or goes (downloading). */
  downloadDir: string
  paused?: boolean
}

export interface Transmission {
  rpcPort: number
  /** The BitTorrent listen address (bindAddress) and port (TCP, and uTP when enabled). */
  peerHost: string
  peerPort: number
  configDir: string
  proc: TrackedProcess
  rpc<T = Record<string, unknown>>(method: string, args?: Record<string, unknown>): Promise<T>
  /** torrent-add with the .torrent's bytes (metainfo) or a magnet URI (filename). */
  addTorrent(torrentFileOrMagnet: string, opts: AddOptions): Promise<{ id: number; hash: string }>
  get(hash: string): Promise<TrTorrent | undefined>
  /** Complete (percentDone 1), hash-checked and seeding. Throws on a torrent error. */
  waitSeeding(hash: string, timeoutMs?: number): Promise<TrTorrent>
  /** Waits until every tracker of the torrent has answered an announce successfully. */
  waitAnnounced(hash: string, timeoutMs?: number): Promise<TrTorrent>
  /** Stops the torrent (flushes its cache and closes its files) and waits for status 0. */
  stopTorrent(hash: string, timeoutMs?: number): Promise<void>
  remove(hash: string, deleteLocalData?: boolean): Promise<void>
  stop(): Promise<void>
}

export function transmissionSettings(o: {
  rpcPort: number
  peerHost: string
  peerPort: number
  downloadDir: string
  encryption: number
  utp: boolean
  extra?: Record<string, unknown>
}): Record<string, unknown> {
  return {
    'dht-enabled': false,
    'lpd-enabled': false,
    'pex-enabled': false,
    'port-forwarding-enabled': false,
    'utp-enabled': o.utp,
    'bind-address-ipv4': o.peerHost,
    'bind-address-ipv6': '::1',
    'peer-port': o.peerPort,
    'peer-port-random-on-start': false,
    'rpc-enabled': true,
    'rpc-bind-address': '127.0.0.1',
    'rpc-port': o.rpcPort,
    'rpc-authentication-required': false,
    'rpc-whitelist-enabled': true,
    'rpc-whitelist': '127.0.0.1',
    'rpc-host-whitelist-enabled': false,
    encryption: o.encryption,
    'download-dir': o.downloadDir,
    'incomplete-dir-enabled': false,
    'watch-dir-enabled': false,
    'blocklist-enabled': false,
    'download-queue-enabled': false,
    'seed-queue-enabled': false,
    'queue-stalled-enabled': false,
    'ratio-limit-enabled': false,
    'idle-seeding-limit-enabled': false,
    'speed-limit-down-enabled': false,
    'speed-limit-up-enabled': false,
    'alt-speed-enabled': false,
    'rename-partial-files': false,
    'start-added-torrents': true,
    'trash-original-torrent-files': false,
    'scrape-paused-torrents-enabled': false,
    'message-level': 2,
    ...o.extra,
  }
}

export async function startTransmission(o: TransmissionOptions = {}): Promise<Transmission> {
  const configDir = await makeTempDir('transmission')
  const rpcPort = await getFreePort()
  const peerPort = await getFreePort()
  const peerHost = o.bindAddress ?? '127.0.0.1'
  const settings = transmissionSettings({
    rpcPort,
    peerHost,
    peerPort,
    downloadDir: join(configDir, 'downloads'),
    encryption: o.encryption ?? 1,
    utp: o.utp ?? false,
    extra: o.settings,
  })
  await writeFile(join(configDir, 'settings.json'), JSON.stringify(settings, null, 2))
  const proc = spawnTracked('transmission-daemon', 'transmission-daemon', ['-f', '-g', configDir], {
    cwd: configDir,
    env: { ...process.env, HOME: configDir },
  })
  const url = `http://127.0.0.1:${rpcPort}/transmission/rpc`
  let sessionId = ''

  const rpc = async <T = Record<string, unknown>>(
    method: string,
    args: Record<string, unknown> = {},
  ): Promise<T> => {
    const body = JSON.stringify({ method, arguments: args })
    // At most one 409 round trip: the first answer carries the session id to use.
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Transmission-Session-Id': sessionId },
        body,
        signal: AbortSignal.timeout(10_000),
      })
      if (res.status === 409) {
        sessionId = res.headers.get('X-Transmission-Session-Id') ?? ''
        await res.body?.cancel()
        continue
      }
      if (!res.ok) throw new Error(`transmission ${method}: HTTP ${res.status} ${await res.text()}`)
      const json = (await res.json()) as { result: string; arguments?: T }
      if (json.result !== 'success') throw new Error(`transmission ${method}: ${json.result}`)
      return (json.arguments ?? {}) as T
    }
    throw new Error(`transmission ${method}: no session id after a 409`)
  }

  const get = async (hash: string): Promise<TrTorrent | undefined> => {
    const res = await rpc<{ torrents: TrTorrent[] }>('torrent-get', {
      ids: [hash.toLowerCase()],
      fields: FIELDS,
    })
    return res.torrents[0]
  }

  const describeTorrent = (t: TrTorrent | undefined): string =>
    t
      ? `status=${t.status} percentDone=${t.percentDone} left=${t.leftUntilDone} ` +
        `recheck=${t.recheckProgress} error=${t.error} "${t.errorString}" ` +
        `peers=${t.peers.map((p) => `${p.address}:${p.port}[${p.flagStr}]`).join(',') || '-'} ` +
        `trackers=${t.trackerStats.map((s) => `${s.announce} "${s.lastAnnounceResult}" peers=${s.lastAnnouncePeerCount}`).join(',')}`
      : 'not found'

  const waitTorrent = async (
    hash: string,
    pred: (t: TrTorrent) => boolean,
    what: string,
    timeoutMs: number,
  ): Promise<TrTorrent> => {
    let last: TrTorrent | undefined
    try {
      return await waitUntil(
        async () => {
          last = await get(hash)
          // error 3 is a local error (e.g. files missing); 1/2 are tracker warnings/errors, which
          // are not fatal while another peer source exists.
          if (last && last.error === 3) throw new Error(`local error: ${last.errorString}`)
          return last && pred(last) ? last : undefined
        },
        { timeoutMs, intervalMs: 300, what, procs: [proc] },
      )
    } catch (err) {
      throw new Error(`${(err as Error).message}\nlast torrent state: ${describeTorrent(last)}`)
    }
  }

  const tr: Transmission = {
    rpcPort,
    peerHost,
    peerPort,
    configDir,
    proc,
    rpc,
    async addTorrent(source, a) {
      const args: Record<string, unknown> = {
        'download-dir': a.downloadDir,
        paused: a.paused ?? false,
      }
      if (source.startsWith('magnet:')) args.filename = source
      else args.metainfo = (await readFile(source)).toString('base64')
      const res = await rpc<{
        'torrent-added'?: { id: number; hashString: string }
        'torrent-duplicate'?: { id: number; hashString: string }
      }>('torrent-add', args)
      const t = res['torrent-added'] ?? res['torrent-duplicate']
      if (!t) throw new Error(`transmission torrent-add: no torrent in ${JSON.stringify(res)}`)
      return { id: t.id, hash: t.hashString.toLowerCase() }
    },
    get,
    waitSeeding(hash, timeoutMs = 120_000) {
      return waitTorrent(
        hash,
        (t) => t.percentDone >= 1 && t.leftUntilDone === 0 && t.status === TR_STATUS.seeding,
        `transmission to seed ${hash}`,
        timeoutMs,
      )
    },
    waitAnnounced(hash, timeoutMs = 30_000) {
      return waitTorrent(
        hash,
        (t) =>
          t.trackerStats.length > 0 &&
          t.trackerStats.every((s) => s.lastAnnounceSucceeded && s.lastAnnounceTime > 0),
        `transmission to announce ${hash}`,
        timeoutMs,
      )
    },
    async stopTorrent(hash, timeoutMs = 15_000) {
      await rpc('torrent-stop', { ids: [hash.toLowerCase()] })
      await waitTorrent(
        hash,
        (t) => t.status === TR_STATUS.stopped,
        `transmission to stop ${hash}`,
        timeoutMs,
      )
    },
    async remove(hash, deleteLocalData = false) {
      await rpc('torrent-remove', {
        ids: [hash.toLowerCase()],
        'delete-local-data': deleteLocalData,
      })
    },
    async stop() {
      if (proc.running) {
        // session-close first (it sends "stopped" announces, bounded by the daemon itself), then
        // SIGTERM and SIGKILL to the group if it hangs.
        try {
          await rpc('session-close')
        } catch {
          // fall through to signals
        }
        if (!(await withTimeout(proc.exited, 15_000))) await proc.stop('SIGTERM', 5_000)
      }
      await removeDir(configDir)
    },
  }

  try {
    await waitUntil(async () => Boolean(await rpc('session-get', { fields: ['version'] })), {
      timeoutMs: o.startTimeoutMs ?? 30_000,
      intervalMs: 200,
      what: 'transmission-daemon RPC on 127.0.0.1',
      procs: [proc],
    })
  } catch (err) {
    await tr.stop()
    throw err
  }
  return tr
}

/** One line per distinct peer seen (address, client, flags), for the test log. */
export function peerSummary(peers: TrPeer[]): string {
  return peers
    .map(
      (p) =>
        `${p.address}:${p.port} "${p.clientName}" flags=${p.flagStr} ` +
        `enc=${p.isEncrypted} utp=${p.isUTP} incoming=${p.isIncoming}`,
    )
    .join('; ')
}
