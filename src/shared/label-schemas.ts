/**
 * The parameter check of setLabels; api.ts re-exports its request type, api-schemas.ts uses it at
 * every boundary.
 */
import { z } from 'zod'
import { InfoHashSchema, LabelSchema, TagsSchema } from './schema'

export const SetLabelsRequestSchema = z.object({
  infoHashes: z.array(InfoHashSchema).min(1).max(100_000),
  /** The new category; null takes it away; absent leaves each torrent's as it is. */
  category: LabelSchema.nullable().optional(),
  addTags: TagsSchema.default([]),
  removeTags: TagsSchema.default([]),
})

export type SetLabelsRequest = z.infer<typeof SetLabelsRequestSchema>
