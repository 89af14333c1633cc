/**
 * The parameter checks of the tracker and web seed commands (editTrackers, reannounce, editWebSeeds);
 * api.ts re-exports their request types, api-schemas.ts uses them at every boundary.
 */
import { z } from 'zod'
import { InfoHashSchema, TrackerUrlSchema } from './schema'
import { MAX_WEB_SEEDS_PER_TORRENT, dedupeTiers, isWebSeedUrl } from './tracker-list'
import { MAX_TRACKERS_PER_TORRENT, MAX_TRACKER_URL_LENGTH } from './tracker-url'

/** Tiers of tracker URLs, first tier first; a URL given twice counts once. */
export const TrackerTiersSchema = z
  .array(z.array(TrackerUrlSchema).max(MAX_TRACKERS_PER_TORRENT))
  .max(MAX_TRACKERS_PER_TORRENT)
  .refine((tiers) => dedupeTiers(tiers).flat().length <= MAX_TRACKERS_PER_TORRENT, {
    error: `a torrent has at most ${MAX_TRACKERS_PER_TORRENT} trackers`,
  })

export const EditTrackersRequestSchema = z.object({
  infoHash: InfoHashSchema,
  /** The whole new list: it replaces the torrent's trackers. */
  tiers: TrackerTiersSchema,
})

export const ReannounceRequestSchema = z.object({
  infoHashes: z.array(InfoHashSchema).min(1).max(100_000),
  /** Only this tracker of each torrent; every tier from the top when absent. */
  tracker: TrackerUrlSchema.optional(),
})

export const WebSeedUrlSchema = z
  .string()
  .max(MAX_TRACKER_URL_LENGTH)
  .refine(isWebSeedUrl, {
    error: (issue) =>
      `expected a web seed URL (http or https, with a host), got: ${JSON.stringify(String(issue.input).slice(0, 200))}`,
  })

export const EditWebSeedsRequestSchema = z.object({
  infoHash: InfoHashSchema,
  /** The whole new list: it replaces the torrent's web seeds. */
  urls: z
    .array(WebSeedUrlSchema)
    .max(MAX_WEB_SEEDS_PER_TORRENT, `a torrent has at most ${MAX_WEB_SEEDS_PER_TORRENT} web seeds`),
})

export type EditTrackersRequest = z.infer<typeof EditTrackersRequestSchema>
export type ReannounceRequest = z.infer<typeof ReannounceRequestSchema>
export type EditWebSeedsRequest = z.infer<typeof EditWebSeedsRequestSchema>
