/**
 * The TorrentBackend over webtorrent: with webtorrent-torrent.ts and webtorrent-map.ts, the only code
 * that imports webtorrent or sees its objects (an ESLint rule keeps it so). Torrents are handed over as
 * parsed objects from our own decoder, stored by Seedling's chunk store.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import WebTorrent from 'webtorrent'
import type { TorrentOptions } from 'webtorrent'
import { SeedlingChunkStore } from '../chunk-store'
import { PEX_INTERVAL_MS, PexSender } from './pex-sender'
import { verifyPatchedStack } from './stack-check'
import type {
  AddSpec,
  BackendTorrent,
  ClientFailure,
  ClientSettings,
  ClientStats,
  TorrentBackend,
  TorrentEvents,
} from './types'
import { clientOptions, rateOption, toParsedTorrent } from './webtorrent-map'
import { WebTorrentTorrent } from './webtorrent-torrent'
import { TierRegistry, tieredTrackerOptions, torrentSource } from './webtorrent-trackers'

/** Checked once per process: the installed stack does not change while it runs. */
let stackVerified = false

/** Internal knobs, not user settings: tests shorten the PEX interval so a swarm forms in seconds. */
export interface WebTorrentBackendOptions {
  pexIntervalMs?: number
}

export class WebTorrentBackend implements TorrentBackend {
  readonly webrtcAvailable = Boolean(WebTorrent.WEBRTC_SUPPORT)
  private client: WebTorrent | null = null
  private readonly tiers = new TierRegistry()
  private pex = false

  constructor(
    private readonly log: (message: string) => void,
    private readonly options: WebTorrentBackendOptions = {},
  ) {}

  start(settings: ClientSettings, onFailure: (failure: ClientFailure) => void): void {
    if (!stackVerified) {
      verifyPatchedStack(path.dirname(fileURLToPath(import.meta.url)))
      stackVerified = true
    }
    const options = clientOptions(settings)
    // Every torrent announces by its tiers (BEP 12): tracker-tiers.ts, through the tracker patch.
    options.tracker = tieredTrackerOptions(options.tracker, this.tiers)
    const client = new WebTorrent(options)
    this.client = client
    this.pex = settings.pex
    // webtorrent destroys its client on a fatal error, most often a listening port that is taken.
    client.on('error', (err: Error) =>
      onFailure({
        message: err.message,
        code: (err as NodeJS.ErrnoException).code ?? null,
        fatal: client === this.client && client.destroyed,
      }),
    )
  }

  stop(): Promise<void> {
    const client = this.client
    if (!client || client.destroyed) return Promise.resolve()
    return new Promise<void>((resolve) => client.destroy(() => resolve()))
  }

  setRateLimits(downloadLimit: number, uploadLimit: number): void {
    this.running().throttleDownload(rateOption(downloadLimit))
    this.running().throttleUpload(rateOption(uploadLimit))
  }

  add(spec: AddSpec, events: TorrentEvents): BackendTorrent {
    const client = this.running()
    let decoded = spec.decoded
    const opts: TorrentOptions = {
      path: spec.downloadDir,
      // Never writes, reads or deletes through a link, nor outside the download folder.
      store: SeedlingChunkStore,
      // BEP 47 padding, read when webtorrent makes the store: after a magnet's metadata arrived.
      storeOpts: {
        get padding(): number[] {
          return decoded?.files.flatMap((f, i) => (f.pad ? [i] : [])) ?? []
        },
      },
      bannedPeers: spec.bannedPeers,
      parseMetadata: (infoBuffer: Uint8Array) => {
        decoded = spec.onInfoDictionary(infoBuffer)
        return toParsedTorrent(decoded, [])
      },
    }
    if (spec.resume && spec.decoded) {
      opts.bitfield = spec.resume.bitfield
      opts.fileModtimes = spec.resume.fileModtimes
      opts.fileSizes = spec.resume.fileSizes
    }
    // Before the torrent exists: its tracker client, made once it starts, looks its tiers up.
    this.tiers.set(spec.infoHash, spec.trackerTiers)
    const wt = client.add(torrentSource(spec, opts), opts)
    if (this.pex) new PexSender(wt, this.options.pexIntervalMs ?? PEX_INTERVAL_MS)
    return new WebTorrentTorrent(client, wt, spec, events, this.log)
  }

  stats(): ClientStats {
    const client = this.running()
    return { port: client.address()?.port ?? 0 }
  }

  capConnections(max: number): void {
    const wires = this.running().torrents.flatMap((t) => t.wires)
    const excess = wires.length - max
    if (excess <= 0) return
    wires
      .sort((a, b) => a.downloadSpeed() + a.uploadSpeed() - (b.downloadSpeed() + b.uploadSpeed()))
      .slice(0, excess)
      .forEach((w) => w.destroy())
  }

  private running(): WebTorrent {
    if (!this.client) throw new Error('the torrent client is not started')
    return this.client
  }
}
