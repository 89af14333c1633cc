/**
 * setLabels: a category and tags per torrent, as qBittorrent users sort theirs. Labels are the user's
 * own words and change nothing in how a torrent runs; they are kept in the session. The request was
 * checked at the boundary (label-schemas.ts); the tag budget is checked here, per torrent, because it
 * depends on the tags each one already has.
 */
import type { SetLabelsRequest } from '@shared/api'
import { SeedlingError } from '@shared/api'
import { MAX_TAGS_PER_TORRENT, editTags } from '@shared/labels'
import type { TorrentEntries } from './entries'
import type { SessionWriter } from './persistence'

export interface LabelCommandDeps {
  entries: TorrentEntries
  writer: SessionWriter
  tick(): void
}

export async function applyLabels(
  d: LabelCommandDeps,
  { infoHashes, category, addTags, removeTags }: SetLabelsRequest,
): Promise<void> {
  // Every torrent is found and every result checked before any changes: all or nothing.
  const entries = [...new Set(infoHashes)].map((h) => d.entries.get(h))
  const tagsOf = entries.map((e) => editTags(e.record.tags, addTags, removeTags))
  const over = tagsOf.findIndex((tags) => tags.length > MAX_TAGS_PER_TORRENT)
  if (over !== -1) {
    throw new SeedlingError(
      `"${entries[over]!.record.name}" would have more than ${MAX_TAGS_PER_TORRENT} tags`,
      'invalid',
    )
  }
  entries.forEach((entry, i) => {
    if (category !== undefined) entry.record.category = category
    entry.record.tags = tagsOf[i]!
  })
  await d.writer.save(false)
  d.tick()
}
