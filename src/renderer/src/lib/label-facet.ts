import type { TorrentSummary } from '@shared/api'

/** A category or tag to filter by, or UNLABELLED for torrents without one (a label is never empty). */
export const UNLABELLED = ''
export type LabelFacet = string

export function matchesCategory(t: TorrentSummary, facet: LabelFacet | null): boolean {
  if (facet === null) return true
  return facet === UNLABELLED ? t.category === null : t.category === facet
}

export function matchesTag(t: TorrentSummary, facet: LabelFacet | null): boolean {
  if (facet === null) return true
  return facet === UNLABELLED ? t.tags.length === 0 : t.tags.includes(facet)
}

export interface LabelCount {
  label: string
  count: number
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

function sorted(counts: Map<string, number>): LabelCount[] {
  return [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => collator.compare(a.label, b.label))
}

/** Each category and tag in use with how many torrents have it, and how many have none. */
export function labelCounts(all: Iterable<TorrentSummary>): {
  categories: LabelCount[]
  uncategorized: number
  tags: LabelCount[]
  untagged: number
} {
  const categories = new Map<string, number>()
  const tags = new Map<string, number>()
  let uncategorized = 0
  let untagged = 0
  for (const t of all) {
    if (t.category === null) uncategorized++
    else categories.set(t.category, (categories.get(t.category) ?? 0) + 1)
    if (!t.tags.length) untagged++
    for (const tag of t.tags) tags.set(tag, (tags.get(tag) ?? 0) + 1)
  }
  return { categories: sorted(categories), uncategorized, tags: sorted(tags), untagged }
}
