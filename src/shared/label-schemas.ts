/**
 * The parameter check of setLabels; api.ts re-exports its request type, api-schemas.ts uses it at
 * every boundary.
 */
import { z } from 'zod'
import { MAX_LABEL_LENGTH, MAX_TAGS_PER_TORRENT, isLabel } from './labels'
import { InfoHashSchema } from './schema'

export const LabelSchema = z.string().refine(isLabel, {
  error: (issue) =>
    `a category or tag is 1 to ${MAX_LABEL_LENGTH} characters, without commas, control characters or spaces at its ends; got ${JSON.stringify(String(issue.input).slice(0, 80))}`,
})

export const TagsSchema = z
  .array(LabelSchema)
  .max(MAX_TAGS_PER_TORRENT, `a torrent has at most ${MAX_TAGS_PER_TORRENT} tags`)

export const SetLabelsRequestSchema = z.object({
  infoHashes: z.array(InfoHashSchema).min(1).max(100_000),
  /** The new category; null takes it away; absent leaves each torrent's as it is. */
  category: LabelSchema.nullable().optional(),
  addTags: TagsSchema.default([]),
  removeTags: TagsSchema.default([]),
})

export type SetLabelsRequest = z.infer<typeof SetLabelsRequestSchema>
