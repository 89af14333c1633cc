/**
 * Snapshots: a torrent's state in, the contract's DTOs out. Nothing here changes any state or emits
 * anything, so reading (listTorrents, getTorrent, getStats) never has side effects; completion is
 * noticed by the ticker.
 */
import type {
  EngineStats,
  FileEntry,
  MetaInfo,
  MetaInfoView,
  PieceMap,
  TorrentDetail,
  TorrentStatus,
  TorrentSummary,
  TrackerEntry,
  WebRtcStatus,
} from '@shared/api'
import type { ClientStats } from './backend/types'
import { needsCheck } from './disk-check'
import type { Entry } from './entries'
import { trackerTiers, unfolded } from './entries'
import { webSeedEntries } from './webseed-entries'

type PieceTest = (piece: number) => boolean

/** Indices of the files to download: every file unless the user chose some. */
export function selectedFiles(entry: Entry): number[] {
  const count = entry.decoded?.files.length ?? 0
  const selected = entry.record.selectedFiles
  if (!selected) return Array.from({ length: count }, (_, i) => i)
  return selected.filter((i) => i < count)
}

function packedTest(bits: Uint8Array): PieceTest {
  return (p) => ((bits[p >> 3] ?? 0) & (0x80 >> (p & 7))) !== 0
}

/**
 * Whether a piece is verified: the backend's pieces while attached, else (paused, or before the first
 * attach) the resume bitfield saved at the last detach; null when neither is known.
 */
function verifiedPieces(entry: Entry): PieceTest | null {
  const live = entry.torrent?.verifiedPieces()
  if (live) return packedTest(live)
  const saved = entry.record.resume?.bitfield
  return saved ? packedTest(Buffer.from(saved, 'base64')) : null
}

/** Verified bytes of a file, counted from the verified pieces that overlap it. */
function fileDownloaded(entry: Entry, index: number, has: PieceTest | null): number {
  const meta = entry.decoded?.meta
  const file = meta?.files[index]
  if (!meta || !file || file.length === 0 || !has) return 0
  let bytes = 0
  const end = file.offset + file.length
  for (let p = file.firstPiece; p <= file.lastPiece; p++) {
    if (!has(p)) continue
    const pieceStart = p * meta.pieceLength
    const pieceEnd =
      pieceStart + (p === meta.pieceCount - 1 ? meta.lastPieceLength : meta.pieceLength)
    bytes += Math.max(0, Math.min(end, pieceEnd) - Math.max(file.offset, pieceStart))
  }
  return bytes
}

export function fileProgress(entry: Entry): FileEntry[] {
  const decoded = entry.decoded
  if (!decoded) return []
  const selected = new Set(selectedFiles(entry))
  const has = verifiedPieces(entry)
  // BEP 47 padding files are not the user's files: not listed and not counted (indices stay the
  // torrent's own).
  return decoded.meta.files.flatMap((file, index) => {
    if (file.padding) return []
    const downloaded = fileDownloaded(entry, index, has)
    return {
      index,
      path: file.path,
      length: file.length,
      downloaded,
      progress: file.length > 0 ? downloaded / file.length : downloaded === 0 ? 1 : 0,
      selected: selected.has(index),
    }
  })
}

function ratioOf(uploaded: number, base: number): number {
  return base > 0 ? uploaded / base : 0
}

/**
 * Payload rates averaged over the ticker's samples (rate-meter.ts), zero as soon as the status says
 * nothing moves; the ETA is over the selected bytes still missing.
 */
export function rateFields(
  entry: Entry,
  status: TorrentStatus,
  remaining: number,
): Pick<TorrentSummary, 'downloadSpeed' | 'uploadSpeed' | 'eta'> {
  const { rates } = entry
  return {
    downloadSpeed: rates.downloadSpeed(status),
    uploadSpeed: rates.uploadSpeed(status),
    eta: rates.eta(status, remaining),
  }
}

export function summarize(entry: Entry): TorrentSummary {
  const { record, decoded, torrent } = entry
  const meta = decoded?.meta ?? null
  const selected = fileProgress(entry).filter((f) => f.selected)
  const selectedLength = selected.reduce((n, f) => n + f.length, 0)
  const completedLength = selected.reduce((n, f) => n + f.downloaded, 0)
  const complete = meta !== null && completedLength >= selectedLength && (torrent?.ready ?? false)
  const pieceCount = meta?.pieceCount ?? 0
  const swarm = torrent?.swarm(pieceCount) ?? { peers: 0, seeds: 0 }
  const live = unfolded(entry)
  const downloadedTotal = record.downloadedTotal + live.down
  const uploadedTotal = record.uploadedTotal + live.up
  const remaining = selectedLength - completedLength
  let status: TorrentStatus
  if (entry.error) status = 'error'
  // Also before the next tick queues its check: a restored torrent is not "paused at 0 %" meanwhile.
  else if (record.paused) status = entry.checking || needsCheck(entry) ? 'checking' : 'paused'
  // Not paused and not attached: restored and waiting its turn to start (attachInTurn).
  else if (!torrent) status = 'checking'
  else if (!meta) status = 'fetching-metadata'
  else if (!torrent.ready) status = 'checking'
  else status = complete ? 'seeding' : 'downloading'
  return {
    infoHash: record.infoHash,
    name: meta?.name ?? record.name,
    status,
    paused: record.paused,
    error: entry.error,
    note: entry.note,
    hasMetadata: meta !== null,
    progress: selectedLength > 0 ? completedLength / selectedLength : meta ? 1 : 0,
    length: meta?.files.reduce((n, f) => (f.padding ? n : n + f.length), 0) ?? 0,
    selectedLength,
    completedLength,
    downloaded: entry.sessionDown + live.down,
    uploaded: entry.sessionUp + live.up,
    downloadedTotal,
    uploadedTotal,
    ...rateFields(entry, status, remaining),
    // Data that was never downloaded (created or already on disk) counts as its size, like
    // Transmission, so a seeder's ratio stays a finite number.
    ratio: ratioOf(uploadedTotal, downloadedTotal || completedLength),
    peers: swarm.peers,
    seeds: swarm.seeds,
    addedAt: record.addedAt,
    completedAt: record.completedAt,
    downloadDir: record.downloadDir,
    magnetURI: meta?.magnetURI ?? record.magnetURI,
    category: record.category,
    tags: [...record.tags],
  }
}

export function summarizeAll(entries: Iterable<Entry>): TorrentSummary[] {
  return [...entries].map(summarize)
}

export function trackerEntries(entry: Entry): TrackerEntry[] {
  const tiers = trackerTiers(entry)
  const torrent = entry.torrent
  const nextAt = torrent?.nextAnnounceAt() ?? null
  // The next walk contacts the trackers contacted before (from the top tier); one not yet tried while
  // another works has no announce of its own to wait for.
  const next = nextAt === null ? null : new Date(nextAt).toISOString()
  // Tiers (BEP 12): while one tracker works, the ones not yet tried are not being contacted.
  const oneWorks = [...entry.trackers.values()].some((t) => t.status === 'working')
  return tiers.flat().map((url) => {
    const tierIndex = tiers.findIndex((tier) => tier.includes(url))
    const state = entry.trackers.get(url)
    return {
      url,
      tier: tierIndex >= 0 ? tierIndex : tiers.length,
      status: torrent ? (state?.status ?? (oneWorks ? 'idle' : 'announcing')) : 'idle',
      lastAnnounce: state?.lastAnnounce ? new Date(state.lastAnnounce).toISOString() : null,
      nextAnnounce: torrent && state?.lastAnnounce ? next : null,
      seeders: state?.seeders ?? null,
      leechers: state?.leechers ?? null,
      error: state?.error ?? null,
    }
  })
}

function withoutPieceHashes(meta: MetaInfo): MetaInfoView {
  const { pieceHashes: _omitted, ...view } = meta
  return view
}

export function torrentDetail(entry: Entry): TorrentDetail {
  const pieceCount = entry.decoded?.meta.pieceCount ?? 0
  return {
    summary: summarize(entry),
    meta: entry.decoded ? withoutPieceHashes(entry.decoded.meta) : null,
    files: fileProgress(entry),
    peers: entry.torrent?.peers(pieceCount) ?? [],
    trackers: trackerEntries(entry),
    webSeeds: webSeedEntries(entry),
  }
}

export function pieceMap(entry: Entry): PieceMap {
  const pieceCount = entry.decoded?.meta.pieceCount ?? 0
  const packed = new Uint8Array(Math.ceil(pieceCount / 8))
  const has = verifiedPieces(entry)
  if (has) {
    for (let i = 0; i < pieceCount; i++) if (has(i)) packed[i >> 3]! |= 0x80 >> (i & 7)
  }
  return {
    infoHash: entry.record.infoHash,
    pieceCount,
    have: Buffer.from(packed).toString('base64'),
    inProgress: entry.torrent?.inProgressPieces() ?? [],
  }
}

export interface StatsFacts {
  client: ClientStats
  torrents: number
  freeSpace: number | null
  webrtc: WebRtcStatus
  sessionWarning: string | null
}

/** Global figures from the torrents' summaries (the tick passes the ones it already made). */
export function engineStats(summaries: TorrentSummary[], facts: StatsFacts): EngineStats {
  let downloading = 0
  let seeding = 0
  let peers = 0
  let downloadSpeed = 0
  let uploadSpeed = 0
  for (const s of summaries) {
    downloadSpeed += s.downloadSpeed
    uploadSpeed += s.uploadSpeed
    if (s.status === 'downloading' || s.status === 'fetching-metadata') downloading++
    if (s.status === 'seeding') seeding++
    peers += s.peers
  }
  return {
    // The torrents' payload rates, so the totals agree with the rows (the stack's own client rates
    // count protocol overhead).
    downloadSpeed,
    uploadSpeed,
    peers,
    torrents: facts.torrents,
    downloading,
    seeding,
    // 0 until listening: the configured port may be taken (the engine then picks a free one).
    port: facts.client.port,
    freeSpace: facts.freeSpace,
    webrtc: facts.webrtc,
    sessionWarning: facts.sessionWarning,
  }
}
