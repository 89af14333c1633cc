/**
 * Runtime checks for everything that crosses a trust boundary into the engine (IPC, WebSocket, CLI).
 * Request types are inferred from these schemas so the check and the type cannot drift; api.ts
 * re-exports them as part of the one contract.
 */
import { z } from 'zod'
import { MAX_PORT, MAX_TORRENT_FILE_BASE64_CHARS, MAX_TORRENT_FILE_SIZE_TEXT } from './limits'
import { MAX_LABEL_LENGTH, MAX_TAGS_PER_TORRENT, isLabel } from './labels'
import { MAX_WEB_SEEDS_PER_TORRENT } from './tracker-list'
import { MAX_TRACKERS_PER_TORRENT, MAX_TRACKER_URL_LENGTH, isTrackerUrl } from './tracker-url'

export const InfoHashSchema = z
  .string()
  .regex(/^[0-9a-f]{40}$/, 'an info hash is 40 lowercase hex characters')

/**
 * An absolute path with no `.` or `..` segment and no doubled separator, in POSIX (`/srv/data`) or Windows
 * (`D:\data`, `\\server\share`) form; one trailing separator is allowed. Pure (no node:path) because the
 * renderer typechecks this module too; the engine checks again for its own platform.
 */
export function isAbsoluteNormalPath(p: string): boolean {
  if (p.includes('\0')) return false
  let rest: string
  let sep: RegExp
  if (p.startsWith('/')) {
    rest = p.slice(1)
    sep = /\//
  } else if (/^[A-Za-z]:[\\/]/.test(p)) {
    rest = p.slice(3)
    sep = /[\\/]/
  } else if (/^\\\\[^\\/]+\\[^\\/]+/.test(p)) {
    rest = p.slice(2)
    sep = /[\\/]/
  } else {
    return false
  }
  if (rest === '') return true
  const segments = rest.split(sep)
  if (segments[segments.length - 1] === '') segments.pop()
  return segments.every((s) => s !== '' && s !== '.' && s !== '..')
}

/**
 * A file or folder a client names on the engine's machine. A relative path would depend on the engine's
 * working directory, and `..` on where links lead, so neither is accepted at any boundary.
 */
export const AbsolutePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine(isAbsoluteNormalPath, {
    error: (issue) =>
      `expected an absolute path without . or .. segments (like /home/you/Downloads), got: ${String(issue.input).slice(0, 200)}`,
  })

export {
  MAX_TRACKERS_PER_TORRENT,
  MAX_TRACKER_URL_LENGTH,
  TRACKER_URL_PROTOCOLS,
  isTrackerUrl,
} from './tracker-url'

export const TrackerUrlSchema = z
  .string()
  .max(MAX_TRACKER_URL_LENGTH)
  .refine(isTrackerUrl, {
    error: (issue) =>
      `expected a tracker URL (http, https, udp, ws or wss, with a host), got: ${JSON.stringify(String(issue.input).slice(0, 200))}`,
  })

/** Where a torrent comes from. Raw `.torrent` bytes travel base64-encoded so the JSON transports can carry them. */
export const TorrentSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('file'),
    data: z
      .base64()
      .max(
        MAX_TORRENT_FILE_BASE64_CHARS,
        `a .torrent file is at most ${MAX_TORRENT_FILE_SIZE_TEXT}`,
      ),
  }),
  z.object({ kind: z.literal('magnet'), uri: z.string().max(65_536) }),
  z.object({ kind: z.literal('infoHash'), infoHash: z.string().max(64) }),
])

/** A category or tag (labels.ts). */
export const LabelSchema = z.string().refine(isLabel, {
  error: (issue) =>
    `a category or tag is 1 to ${MAX_LABEL_LENGTH} characters, without commas, control characters or spaces at its ends; got ${JSON.stringify(String(issue.input).slice(0, 80))}`,
})

export const TagsSchema = z
  .array(LabelSchema)
  .max(MAX_TAGS_PER_TORRENT, `a torrent has at most ${MAX_TAGS_PER_TORRENT} tags`)

export const AddTorrentRequestSchema = z.object({
  source: TorrentSourceSchema,
  /** Absolute folder; the engine's default download folder when absent. */
  downloadDir: AbsolutePathSchema.optional(),
  paused: z.boolean().optional(),
  /** Indexes of the files to download; all files when absent. */
  selectedFiles: z.array(z.number().int().nonnegative()).max(1_000_000).optional(),
  /** Extra trackers to announce to, on top of the torrent's own. */
  trackers: z.array(TrackerUrlSchema).max(MAX_TRACKERS_PER_TORRENT).optional(),
  /** The user's category and tags for it, as setLabels sets them later. */
  category: LabelSchema.optional(),
  tags: TagsSchema.optional(),
})

export const InfoHashRequestSchema = z.object({ infoHash: InfoHashSchema })
export const InfoHashesRequestSchema = z.object({
  infoHashes: z.array(InfoHashSchema).max(100_000),
})

export const RemoveTorrentRequestSchema = z.object({
  infoHash: InfoHashSchema,
  deleteData: z.boolean(),
})

export const FileSelectionRequestSchema = z.object({
  infoHash: InfoHashSchema,
  files: z
    .array(z.object({ index: z.number().int().nonnegative(), selected: z.boolean() }))
    .max(1_000_000),
})

export const MoveTorrentRequestSchema = z.object({
  infoHash: InfoHashSchema,
  downloadDir: AbsolutePathSchema,
})

export const CreateTorrentRequestSchema = z.object({
  /** Chosen by the client so it can match `create:progress` events to this request. */
  requestId: z.string().min(1).max(64),
  /** Absolute path of the file or folder to share, on the engine's machine. */
  path: AbsolutePathSchema,
  trackers: z.array(TrackerUrlSchema).max(MAX_TRACKERS_PER_TORRENT).default([]),
  webSeeds: z
    .array(z.string().max(MAX_TRACKER_URL_LENGTH))
    .max(MAX_WEB_SEEDS_PER_TORRENT)
    .default([]),
  /** Bytes, a power of two from 16 KiB to 16 MiB; chosen from the size when absent. */
  pieceLength: z.number().int().positive().optional(),
  private: z.boolean().default(false),
  comment: z.string().max(65_536).optional(),
  /** Where to write the .torrent; a copy always goes to the session. */
  outputPath: AbsolutePathSchema.optional(),
  /** Start seeding it once created (the default). */
  seed: z.boolean().default(true),
})

export const EncryptionPolicySchema = z.enum(['prefer', 'require', 'disable'])

export const SettingsSchema = z.object({
  downloadDir: AbsolutePathSchema,
  /** 0 picks a free port. */
  port: z.number().int().min(0).max(MAX_PORT),
  /** Bytes per second; 0 means unlimited. */
  downloadLimit: z.number().int().min(0),
  uploadLimit: z.number().int().min(0),
  maxConnections: z.number().int().min(1).max(10_000),
  maxConnectionsPerTorrent: z.number().int().min(1).max(10_000),
  dht: z.boolean(),
  pex: z.boolean(),
  lsd: z.boolean(),
  natTraversal: z.boolean(),
  encryption: EncryptionPolicySchema,
})

export const SettingsPatchSchema = SettingsSchema.partial()

export const EmptyRequestSchema = z.object({}).strict().optional()

export type TorrentSource = z.infer<typeof TorrentSourceSchema>
export type AddTorrentRequest = z.infer<typeof AddTorrentRequestSchema>
export type InfoHashRequest = z.infer<typeof InfoHashRequestSchema>
export type InfoHashesRequest = z.infer<typeof InfoHashesRequestSchema>
export type RemoveTorrentRequest = z.infer<typeof RemoveTorrentRequestSchema>
export type FileSelectionRequest = z.infer<typeof FileSelectionRequestSchema>
export type MoveTorrentRequest = z.infer<typeof MoveTorrentRequestSchema>
export type CreateTorrentRequest = z.input<typeof CreateTorrentRequestSchema>
export type EncryptionPolicy = z.infer<typeof EncryptionPolicySchema>
export type Settings = z.infer<typeof SettingsSchema>
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>
