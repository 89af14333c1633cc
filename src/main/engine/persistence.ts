/** Loading the saved torrents into entries, and writing the session back, one save at a time. */
import type { SettingsPatch } from '@shared/api'
import type { Entry, TorrentEntries } from './entries'
import { newEntry } from './entries'
import { decodeTorrentFile } from './metainfo'
import type { SessionFile, SessionStore } from './session'
import { SESSION_VERSION } from './session'

/** Monotonic: a wall clock set back (NTP, the user, a VM resumed) must not stop periodic work. */
const monotonicNow = (): number => performance.now()

export class SessionWriter {
  private saving: Promise<void> = Promise.resolve()
  private lastSave = monotonicNow()

  constructor(
    private readonly store: SessionStore,
    private readonly entries: TorrentEntries,
    /** The settings to write: the run-only overrides (CLI flags) left out. */
    private readonly persistedSettings: () => SettingsPatch,
    private readonly log: (message: string) => void,
  ) {}

  msSinceSave(): number {
    return monotonicNow() - this.lastSave
  }

  /** A save in the background; a failure is logged, the next save tries again. */
  scheduleSave(): void {
    this.lastSave = monotonicNow()
    this.save(false).catch((err: Error) => this.log(`could not save the session: ${err.message}`))
  }

  /** Saves are queued one after another, so two never race on the same file. */
  save(cleanShutdown: boolean): Promise<void> {
    const run = this.saving.then(() => this.write(cleanShutdown))
    this.saving = run.catch(() => undefined)
    return run
  }

  /** Resolves once the saves queued so far have finished. */
  settled(): Promise<void> {
    return this.saving
  }

  private async write(cleanShutdown: boolean): Promise<void> {
    const torrents = [...this.entries.values()]
    for (const entry of torrents) this.entries.fold(entry)
    await this.store.save({
      version: SESSION_VERSION,
      cleanShutdown,
      savedAt: new Date().toISOString(),
      settings: this.persistedSettings(),
      torrents: torrents.map((e) => e.record),
    })
  }
}

/**
 * Loads the saved torrents into `entries` and returns the ones to start (not paused, not broken), in
 * session order; the caller starts them with `attachInTurn`.
 */
export async function restoreEntries(
  session: SessionFile,
  store: SessionStore,
  entries: TorrentEntries,
  log: (message: string) => void,
): Promise<Entry[]> {
  // Resume data is trusted only after a clean stop; after a crash every piece on disk is rehashed.
  const trustResume = session.cleanShutdown
  if (!trustResume && session.torrents.length > 0) {
    log('the last session did not stop cleanly; rechecking torrent data')
  }
  const toStart: Entry[] = []
  for (const record of session.torrents) {
    if (!trustResume) record.resume = null
    const entry = newEntry(record)
    const bytes = await store.readTorrentFile(record.infoHash)
    if (bytes) {
      try {
        entry.decoded = decodeTorrentFile(bytes)
      } catch (err) {
        entry.error = `saved torrent file is unusable: ${(err as Error).message}`
      }
    }
    entries.put(entry)
    if (!record.paused && !entry.error) toStart.push(entry)
  }
  return toStart
}

/** Torrents started before the engine answers; the rest follow between its other work. */
export const ATTACH_BATCH = 20

/**
 * Starts restored torrents `ATTACH_BATCH` at a time, yielding to the event loop between batches, so a
 * session of hundreds answers the UI at once instead of after every torrent is re-attached. A torrent
 * the user paused, removed or started meanwhile is left as it is; `stopped` ends the walk (engine closed).
 */
export async function attachInTurn(
  entries: TorrentEntries,
  pending: readonly Entry[],
  stopped: () => boolean,
): Promise<void> {
  for (let i = 0; i < pending.length; i++) {
    if (i % ATTACH_BATCH === 0) await new Promise((resolve) => setImmediate(resolve))
    if (stopped()) return
    const entry = pending[i]!
    const current = entries.find(entry.record.infoHash) === entry
    if (current && !entry.torrent && !entry.record.paused) entries.attach(entry)
  }
}
