/**
 * The torrent commands of the API: adding, pausing, resuming, removing, rechecking, selecting files,
 * moving data and the reads. Each changes the entries, saves the session and runs a tick so clients
 * see the change at once.
 */
import path from 'node:path'
import type {
  AddTorrentRequest,
  AddTorrentResult,
  FileSelectionRequest,
  InfoHashRequest,
  InfoHashesRequest,
  InspectResult,
  MoveTorrentRequest,
  PieceMap,
  RemoveTorrentRequest,
  SeedlingEvents,
  Settings,
  TorrentDetail,
  TorrentSource,
  TorrentSummary,
} from '@shared/api'
import { SeedlingError } from '@shared/api'
import type { Entry, TorrentEntries } from './entries'
import { newEntry } from './entries'
import type { DecodedTorrent } from './metainfo'
import { decodeTorrentFile, MetaInfoError } from './metainfo'
import { parseSelectOnly, parseTorrentLink } from './magnet'
import type { PathGuard } from './path-guard'
import type { SessionWriter } from './persistence'
import { attachInTurn } from './persistence'
import { resolveInside } from './safe-path'
import type { SessionStore, TorrentRecord } from './session'
import { pieceMap, selectedFiles, summarize, summarizeAll, torrentDetail } from './snapshot'
import { deleteTorrentData, moveTorrentData } from './torrent-data'
import type { Emit } from './typed-emitter'

export interface CommandDeps {
  entries: TorrentEntries
  store: SessionStore
  guard: PathGuard
  writer: SessionWriter
  emit: Emit<SeedlingEvents>
  settings(): Settings
  tick(): void
  isClosed(): boolean
}

/** Meta-info and link errors are the user's bad input: they cross the API as SeedlingErrors. */
export async function withInputErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof MetaInfoError) throw new SeedlingError(err.message, 'invalid')
    throw err
  }
}

export class TorrentCommands {
  constructor(private readonly d: CommandDeps) {}

  listTorrents(): TorrentSummary[] {
    return summarizeAll(this.d.entries.values())
  }

  getTorrent({ infoHash }: InfoHashRequest): TorrentDetail {
    return torrentDetail(this.d.entries.get(infoHash))
  }

  getPieces({ infoHash }: InfoHashRequest): PieceMap {
    return pieceMap(this.d.entries.get(infoHash))
  }

  async inspectTorrent(source: TorrentSource): Promise<InspectResult> {
    return withInputErrors(async () => {
      if (source.kind === 'file') {
        return { kind: 'torrent', meta: decodeTorrentFile(Buffer.from(source.data, 'base64')).meta }
      }
      const input = source.kind === 'magnet' ? source.uri : source.infoHash
      return { kind: 'magnet', magnet: parseTorrentLink(input) }
    })
  }

  /** `policy: false` only for data the engine made a torrent of (createTorrent checked the source). */
  async add(req: AddTorrentRequest, folder: { policy: boolean }): Promise<AddTorrentResult> {
    const { entries } = this.d
    if (this.d.isClosed()) throw new SeedlingError('the engine is shutting down', 'internal')
    const source = req.source
    const torrentBytes = source.kind === 'file' ? Buffer.from(source.data, 'base64') : null
    const link =
      source.kind === 'magnet' ? source.uri : source.kind === 'infoHash' ? source.infoHash : ''
    const parsed = await withInputErrors(async () =>
      torrentBytes
        ? { decoded: decodeTorrentFile(torrentBytes), magnet: null }
        : { decoded: null, magnet: parseTorrentLink(link) },
    )
    const infoHash = parsed.decoded?.meta.infoHash ?? parsed.magnet!.infoHash
    const existing = entries.find(infoHash)
    if (existing) {
      // The .torrent of a magnet still waiting for metadata gives it its files without peers.
      if (!existing.decoded && parsed.decoded && torrentBytes) {
        await this.adoptMetadata(existing, parsed.decoded, torrentBytes)
      }
      return { torrent: summarize(existing), duplicate: true }
    }

    const downloadDir = req.downloadDir ?? this.d.settings().downloadDir
    const fileCount = parsed.decoded?.files.length
    if (req.selectedFiles && fileCount !== undefined) {
      const bad = req.selectedFiles.find((i) => i >= fileCount)
      if (bad !== undefined) {
        throw new SeedlingError(`file index ${bad} is out of range (the torrent has ${fileCount})`)
      }
    }
    const trackers = [...(parsed.magnet?.trackers ?? []), ...(req.trackers ?? [])]
    const record: TorrentRecord = {
      infoHash,
      name: parsed.decoded?.meta.name ?? parsed.magnet?.name ?? infoHash,
      magnetURI: parsed.decoded?.meta.magnetURI ?? parsed.magnet!.magnetURI,
      downloadDir,
      paused: req.paused ?? false,
      selectedFiles: req.selectedFiles
        ? [...new Set(req.selectedFiles)].sort((a, b) => a - b)
        : source.kind === 'magnet'
          ? parseSelectOnly(source.uri)
          : null,
      trackers: [...new Set(trackers)],
      peers: parsed.magnet?.peers ?? [],
      category: req.category ?? null,
      tags: [...new Set(req.tags ?? [])],
      addedAt: new Date().toISOString(),
      completedAt: null,
      downloadedTotal: 0,
      uploadedTotal: 0,
      resume: null,
    }
    // Before anything is kept: a refused folder, or a file in its place, must leave no half-added torrent.
    await this.d.guard.prepareDownloadFolder(downloadDir, folder)
    if (torrentBytes) await this.d.store.saveTorrentFile(infoHash, torrentBytes)
    const entry = newEntry(record, parsed.decoded)
    entries.put(entry)
    if (!record.paused) entries.attach(entry)
    await this.d.writer.save(false)
    const summary = summarize(entry)
    this.d.emit('torrent:added', summary)
    return { torrent: summary, duplicate: false }
  }

  private async adoptMetadata(
    entry: Entry,
    decoded: DecodedTorrent,
    torrentBytes: Uint8Array,
  ): Promise<void> {
    await this.d.store.saveTorrentFile(entry.record.infoHash, torrentBytes)
    const wasActive = entry.torrent !== null
    await this.d.entries.detach(entry, false)
    entry.decoded = decoded
    entry.record.name = decoded.meta.name
    if (wasActive) this.d.entries.attach(entry)
    await this.d.writer.save(false)
  }

  async pauseTorrents({ infoHashes }: InfoHashesRequest): Promise<void> {
    for (const infoHash of infoHashes) {
      const entry = this.d.entries.get(infoHash)
      entry.record.paused = true
      await this.d.entries.detach(entry, true)
    }
    await this.d.writer.save(false)
    this.d.tick()
  }

  async resumeTorrents({ infoHashes }: InfoHashesRequest): Promise<void> {
    const entries = infoHashes.map((infoHash) => this.d.entries.get(infoHash))
    for (const entry of entries) entry.record.paused = false
    // "Resume all" over hundreds of torrents must not hold the event loop (and the UI) until done.
    await attachInTurn(this.d.entries, entries, () => this.d.isClosed())
    await this.d.writer.save(false)
    this.d.tick()
  }

  async removeTorrent({ infoHash, deleteData }: RemoveTorrentRequest): Promise<void> {
    const { entries } = this.d
    const entry = entries.get(infoHash)
    await entries.detach(entry, false)
    entries.delete(infoHash)
    await this.d.writer.save(false)
    await this.d.store.deleteTorrentFile(infoHash)
    if (deleteData && entry.decoded) {
      await deleteTorrentData(entry.record.downloadDir, entry.decoded)
    }
    this.d.emit('torrent:removed', infoHash)
  }

  async recheckTorrent({ infoHash }: InfoHashRequest): Promise<void> {
    const entry = this.d.entries.get(infoHash)
    if (!entry.decoded) throw new SeedlingError('cannot recheck before the metadata is known')
    await this.d.entries.detach(entry, false)
    entry.record.resume = null
    if (!entry.record.paused) this.d.entries.attach(entry)
    this.d.tick()
  }

  async setFileSelection({ infoHash, files }: FileSelectionRequest): Promise<void> {
    const entry = this.d.entries.get(infoHash)
    const count = entry.decoded?.files.length
    if (count === undefined) throw new SeedlingError('the file list is not known yet (no metadata)')
    const selected = new Set(selectedFiles(entry))
    for (const { index, selected: on } of files) {
      if (index >= count) throw new SeedlingError(`file index ${index} is out of range`)
      if (on) selected.add(index)
      else selected.delete(index)
    }
    entry.record.selectedFiles =
      selected.size === count ? null : [...selected].sort((a, b) => a - b)
    entry.torrent?.selectFiles(entry.record.selectedFiles)
    if (entry.record.completedAt && selected.size > 0) entry.record.completedAt = null
    await this.d.writer.save(false)
    this.d.tick()
  }

  async moveTorrent({ infoHash, downloadDir }: MoveTorrentRequest): Promise<void> {
    const { entries } = this.d
    const entry = entries.get(infoHash)
    await this.d.guard.checkDownloadFolder(downloadDir)
    const from = entry.record.downloadDir
    if (path.resolve(from) === path.resolve(downloadDir)) return
    const wasActive = entry.torrent !== null
    await entries.detach(entry, false)
    if (entry.decoded) {
      try {
        await moveTorrentData(from, downloadDir, entry.decoded)
      } catch (err) {
        if (wasActive) entries.attach(entry)
        if (err instanceof SeedlingError) throw err
        throw new SeedlingError(`could not move the data: ${(err as Error).message}`, 'io')
      }
    }
    entry.record.downloadDir = downloadDir
    if (wasActive) entries.attach(entry)
    await this.d.writer.save(false)
    this.d.tick()
  }

  /** The folder a torrent's data lives in, for "open folder" style actions. */
  dataPath(infoHash: string): string {
    const entry = this.d.entries.get(infoHash)
    const first = entry.decoded?.files[0]?.segments[0]
    return first ? resolveInside(entry.record.downloadDir, [first]) : entry.record.downloadDir
  }
}
