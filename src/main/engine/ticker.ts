/**
 * The engine's heartbeat (about 1 Hz, and at once when a torrent finishes): it sends the summaries that
 * changed since the last tick, notices completion, keeps the global connection cap, checks free space,
 * has paused torrents whose pieces are unknown checked on disk, and saves the session now and then.
 */
import { promises as fs } from 'node:fs'
import type { EngineStats, SeedlingEvents, Settings, TorrentSummary } from '@shared/api'
import type { TorrentBackend } from './backend/types'
import { StoppedChecks } from './disk-check'
import type { Entry, TorrentEntries } from './entries'
import type { SessionWriter } from './persistence'
import { engineStats, rateFields, summarize, summarizeAll } from './snapshot'
import type { Emit } from './typed-emitter'
import { webrtcStatus } from './webrtc'

const SAVE_EVERY_MS = 30_000
const FREE_SPACE_EVERY_MS = 5000
/**
 * Full ticks for finished torrents run at most this often: a restored session finishes its torrents
 * one after another, and a full tick per torrent summarized every torrent each time (quadratic in the
 * count: 780 MiB of garbage to restore 500 torrents, and the heap's peak stayed resident).
 */
export const DONE_TICK_MS = 250

export interface TickerDeps {
  entries: TorrentEntries
  backend: TorrentBackend
  writer: SessionWriter
  emit: Emit<SeedlingEvents>
  settings(): Settings
  isClosed(): boolean
  /** How often the session is saved while running (default 30 s). */
  saveEveryMs?: number
  /** Why the saved session could not be used as it was, shown in the stats. */
  sessionWarning: string | null
}

export class Ticker {
  /** Per torrent, the summary sent last, to send only what changed. */
  private lastSent = new Map<string, string>()
  private lastStats = ''
  private freeSpace: number | null = null
  private freeSpaceCheckedAt = 0
  /** How long ticks take (bench/scale.ts reads it): a tick must stay cheap with hundreds of torrents. */
  readonly tickTime = { count: 0, totalMs: 0, maxMs: 0 }

  private readonly checks: StoppedChecks
  private lastDoneTick = -Infinity
  private doneTimer: NodeJS.Timeout | null = null

  constructor(private readonly deps: TickerDeps) {
    this.checks = new StoppedChecks(deps.entries, deps.isClosed)
  }

  stats(summaries: TorrentSummary[] = summarizeAll(this.deps.entries.values())): EngineStats {
    const { backend, entries, sessionWarning } = this.deps
    return engineStats(summaries, {
      client: backend.stats(),
      torrents: entries.size,
      freeSpace: this.freeSpace,
      webrtc: webrtcStatus(backend.webrtcAvailable),
      sessionWarning,
    })
  }

  tick(): void {
    if (this.deps.isClosed()) return
    const started = performance.now()
    this.tickOnce()
    const ms = performance.now() - started
    this.tickTime.count++
    this.tickTime.totalMs += ms
    this.tickTime.maxMs = Math.max(this.tickTime.maxMs, ms)
  }

  /**
   * A torrent finished: its summary (and torrent:done) goes out at once; the full tick, which
   * summarizes every torrent, runs now or once DONE_TICK_MS have passed since the last one it ran for.
   */
  tickForDone(entry: Entry): void {
    if (this.deps.isClosed() || this.deps.entries.find(entry.record.infoHash) !== entry) return
    if (this.doneTimer) return this.sendOne(entry)
    const wait = this.lastDoneTick + DONE_TICK_MS - performance.now()
    const run = (): void => {
      this.doneTimer = null
      this.lastDoneTick = performance.now()
      this.tick()
    }
    if (wait <= 0) return run()
    this.sendOne(entry)
    this.doneTimer = setTimeout(run, wait)
  }

  stop(): void {
    if (this.doneTimer) clearTimeout(this.doneTimer)
    this.doneTimer = null
  }

  private tickOnce(): void {
    const { entries, backend, writer, emit } = this.deps
    this.refreshFreeSpace()
    backend.capConnections(this.deps.settings().maxConnections)
    this.checks.sweep()
    const changed: TorrentSummary[] = []
    const all: TorrentSummary[] = []
    const sent = new Map<string, string>()
    const now = performance.now()
    for (const entry of entries.values()) {
      const s = this.summary(entry, now)
      all.push(s)
      const key = JSON.stringify(s)
      if (key !== this.lastSent.get(s.infoHash)) changed.push(s)
      sent.set(s.infoHash, key)
    }
    this.lastSent = sent
    if (changed.length > 0) emit('torrents:changed', changed)
    const stats = this.stats(all)
    const statsKey = JSON.stringify(stats)
    if (statsKey !== this.lastStats) {
      this.lastStats = statsKey
      emit('stats', stats)
    }
    if (writer.msSinceSave() > (this.deps.saveEveryMs ?? SAVE_EVERY_MS)) writer.scheduleSave()
  }

  /**
   * One torrent's summary as the ticker sends it, noticing its completion; with `now`, its rates are
   * sampled first (by full ticks only, so reads between ticks see the same rates and change nothing).
   */
  private summary(entry: Entry, now: number | null): TorrentSummary {
    const { writer, emit } = this.deps
    let s = summarize(entry)
    if (now !== null) entry.rates.sample(s.downloadedTotal, s.uploadedTotal, s.status, now)
    s = { ...s, ...rateFields(entry, s.status, s.selectedLength - s.completedLength) }
    if (s.status === 'seeding' && !entry.record.completedAt) {
      entry.record.completedAt = new Date().toISOString()
      s = { ...s, completedAt: entry.record.completedAt }
      const { infoHash } = entry.record
      // After the torrents:changed that carries this summary, which shows the torrent complete.
      queueMicrotask(() => emit('torrent:done', infoHash))
      writer.scheduleSave()
    }
    return s
  }

  /** Sends one torrent's summary if it changed, between full ticks. */
  private sendOne(entry: Entry): void {
    const s = this.summary(entry, null)
    const key = JSON.stringify(s)
    if (key === this.lastSent.get(s.infoHash)) return
    this.lastSent.set(s.infoHash, key)
    this.deps.emit('torrents:changed', [s])
  }

  private refreshFreeSpace(): void {
    if (Date.now() - this.freeSpaceCheckedAt < FREE_SPACE_EVERY_MS) return
    this.freeSpaceCheckedAt = Date.now()
    fs.statfs(this.deps.settings().downloadDir).then(
      (st) => (this.freeSpace = st.bavail * st.bsize),
      () => (this.freeSpace = null),
    )
  }
}
