/**
 * The persisted session: settings, the torrent list with per-torrent options and all-time totals, resume
 * data, and a copy of each `.torrent`. One JSON file, written atomically with the previous version kept as
 * `.bak`; a corrupt or empty file falls back to the backup and says so.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import {
  InfoHashSchema,
  isAbsoluteNormalPath,
  LabelSchema,
  SettingsSchema,
  TagsSchema,
} from '@shared/schema'
import { MAX_WEB_SEEDS_PER_TORRENT } from '@shared/tracker-list'
import { TrackerTiersSchema, WebSeedUrlSchema } from '@shared/tracker-schemas'
import { writeFileAtomic } from './atomic-file'

export const SESSION_VERSION = 1

const ResumeSchema = z.object({
  /** Verified pieces at the moment of a clean stop, packed and base64. */
  bitfield: z.string(),
  /** Each file's mtime (ms) at that moment; null for a file that did not exist. */
  fileModtimes: z.array(z.number().nullable()),
  /** Each file's size at that moment; a file whose size changed is never trusted. */
  fileSizes: z.array(z.number().nullable()),
})

export const TorrentRecordSchema = z.object({
  infoHash: InfoHashSchema,
  name: z.string(),
  magnetURI: z.string(),
  downloadDir: z.string().min(1),
  paused: z.boolean(),
  selectedFiles: z.array(z.number().int().nonnegative()).nullable(),
  trackers: z.array(z.string()),
  peers: z.array(z.string()).default([]),
  // The lists as the user edited them (absent: the torrent's own); one that fails the API's checks
  // (an edited file) is dropped, not the session.
  trackerTiers: TrackerTiersSchema.optional().catch(undefined),
  webSeeds: z.array(WebSeedUrlSchema).max(MAX_WEB_SEEDS_PER_TORRENT).optional().catch(undefined),
  // A label that fails the API's checks (an edited file) is dropped, not the torrent.
  category: LabelSchema.nullable().default(null).catch(null),
  tags: TagsSchema.default([]).catch([]),
  addedAt: z.string(),
  completedAt: z.string().nullable(),
  downloadedTotal: z.number().nonnegative(),
  uploadedTotal: z.number().nonnegative(),
  // Resume data of another shape (an older version) is dropped, not the session: a recheck.
  resume: ResumeSchema.nullable().catch(null),
})

const SessionFileSchema = z.object({
  version: z.literal(SESSION_VERSION),
  /** False while an engine runs on this state; true only after a clean stop wrote resume data. */
  cleanShutdown: z.boolean(),
  savedAt: z.string(),
  // A bad folder is repaired or dropped on its own (repairFolders), not the whole session.
  settings: SettingsSchema.partial().extend({ downloadDir: z.string().min(1).optional() }),
  torrents: z.array(TorrentRecordSchema),
})

export type TorrentRecord = z.infer<typeof TorrentRecordSchema>
export type ResumeData = z.infer<typeof ResumeSchema>
export type SessionFile = z.infer<typeof SessionFileSchema>

export interface LoadedSession {
  session: SessionFile
  /** Set when the session file could not be used as it was; says what happened, for the user. */
  warning: string | null
}

export class SessionStore {
  readonly file: string
  private readonly torrentDir: string

  constructor(readonly stateDir: string) {
    this.file = path.join(stateDir, 'session.json')
    this.torrentDir = path.join(stateDir, 'torrents')
  }

  async load(): Promise<LoadedSession> {
    await fs.mkdir(this.torrentDir, { recursive: true })
    const main = await this.readSessionFile(this.file)
    if (main.ok) return { session: main.session, warning: joinWarnings(main.repairs) }
    if (main.reason === 'missing') return { session: emptySession(), warning: null }

    // Keep the unusable file for inspection instead of overwriting it on the next save.
    const kept = `${this.file}.corrupt-${Date.now()}`
    await fs.copyFile(this.file, kept).catch(() => undefined)
    const backup = await this.readSessionFile(`${this.file}.bak`)
    if (backup.ok) {
      // Put the good version back, so the next save keeps it (not the unusable file) as .bak.
      await fs.copyFile(`${this.file}.bak`, this.file).catch(() => undefined)
      return {
        session: backup.session,
        warning: joinWarnings([
          `session file was unusable (${main.reason}); restored the previous version from session.json.bak`,
          ...backup.repairs,
        ]),
      }
    }
    return {
      session: emptySession(),
      warning: `session file was unusable (${main.reason}) and no usable backup exists; starting with an empty session (the old file is kept as ${path.basename(kept)})`,
    }
  }

  async save(session: SessionFile): Promise<void> {
    const data = JSON.stringify({ ...session, savedAt: new Date().toISOString() }, null, 1)
    await writeFileAtomic(this.file, data, { keepBackup: true })
  }

  torrentFilePath(infoHash: string): string {
    return path.join(this.torrentDir, `${InfoHashSchema.parse(infoHash)}.torrent`)
  }

  async saveTorrentFile(infoHash: string, torrent: Uint8Array): Promise<void> {
    await writeFileAtomic(this.torrentFilePath(infoHash), torrent)
  }

  async readTorrentFile(infoHash: string): Promise<Uint8Array | null> {
    try {
      return await fs.readFile(this.torrentFilePath(infoHash))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
  }

  async deleteTorrentFile(infoHash: string): Promise<void> {
    await fs.rm(this.torrentFilePath(infoHash), { force: true })
  }

  private async readSessionFile(
    file: string,
  ): Promise<
    { ok: true; session: SessionFile; repairs: string[] } | { ok: false; reason: string }
  > {
    let text: string
    try {
      text = await fs.readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'missing' }
      return { ok: false, reason: `cannot read it: ${(err as Error).message}` }
    }
    if (text.trim() === '') return { ok: false, reason: 'it is empty' }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return { ok: false, reason: 'it is not valid JSON' }
    }
    const parsed = SessionFileSchema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return {
        ok: false,
        reason: `unexpected content at ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}`,
      }
    }
    const session = parsed.data
    return { ok: true, session, repairs: repairFolders(session) }
  }
}

function joinWarnings(warnings: string[]): string | null {
  return warnings.length > 0 ? warnings.join('; ') : null
}

/** An absolute folder as the engine uses it: `..` and doubled separators resolved; null when relative. */
function usableFolder(dir: string): string | null {
  if (!path.isAbsolute(dir)) return null
  return isAbsoluteNormalPath(dir) ? dir : path.resolve(dir)
}

/**
 * A relative download folder (older versions accepted one) means nothing without the working directory it
 * was typed in: the setting falls back to the default and a torrent with one is dropped, each said in a
 * warning; the rest of the session is kept. Returns the warnings; changes `session` in place.
 */
export function repairFolders(session: SessionFile): string[] {
  const warnings: string[] = []
  const setting = session.settings.downloadDir
  if (setting !== undefined) {
    const usable = usableFolder(setting)
    if (usable === null) {
      delete session.settings.downloadDir
      warnings.push(
        `the saved download folder "${setting}" is not an absolute path; using the default instead`,
      )
    } else session.settings.downloadDir = usable
  }
  session.torrents = session.torrents.filter((record) => {
    const usable = usableFolder(record.downloadDir)
    if (usable !== null) {
      record.downloadDir = usable
      return true
    }
    warnings.push(
      `dropped the torrent "${record.name}" (${record.infoHash}) from the session: its download folder "${record.downloadDir}" is not an absolute path; add it again to choose one`,
    )
    return false
  })
  return warnings
}

export function emptySession(): SessionFile {
  return {
    version: SESSION_VERSION,
    cleanShutdown: true,
    savedAt: new Date().toISOString(),
    settings: {},
    torrents: [],
  }
}
