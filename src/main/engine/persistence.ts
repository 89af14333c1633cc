/** Loading the saved torrents into entries, and writing the session back, one save at a time. */
import type { SettingsPatch } from '@shared/api'
import type { TorrentEntries } from './entries'
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

/** Loads the saved torrents and starts every one that was not paused. */
export async function restoreEntries(
  session: SessionFile,
  store: SessionStore,
  entries: TorrentEntries,
  log: (message: string) => void,
): Promise<void> {
  // Resume data is trusted only after a clean stop; after a crash every piece on disk is rehashed.
  const trustResume = session.cleanShutdown
  if (!trustResume && session.torrents.length > 0) {
    log('the last session did not stop cleanly; rechecking torrent data')
  }
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
    if (!record.paused && !entry.error) entries.attach(entry)
  }
}
