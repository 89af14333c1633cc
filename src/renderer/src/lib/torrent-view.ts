import type { TorrentStatus, TorrentSummary } from '@shared/api'

export type SortKey =
  | 'name'
  | 'length'
  | 'progress'
  | 'status'
  | 'downloadSpeed'
  | 'uploadSpeed'
  | 'eta'
  | 'peers'
  | 'ratio'
  | 'addedAt'
export type SortDir = 'asc' | 'desc'
export type StatusFilter = 'all' | 'downloading' | 'seeding' | 'paused' | 'error'

export const statusFilters: readonly StatusFilter[] = [
  'all',
  'downloading',
  'seeding',
  'paused',
  'error',
]

const filterStatuses: Record<Exclude<StatusFilter, 'all'>, readonly TorrentStatus[]> = {
  downloading: ['downloading', 'fetching-metadata', 'checking'],
  seeding: ['seeding'],
  paused: ['paused'],
  error: ['error'],
}

export function matchesStatus(t: TorrentSummary, filter: StatusFilter): boolean {
  return filter === 'all' || filterStatuses[filter].includes(t.status)
}

/** Case-insensitive substring match on the name (or an info hash prefix). */
export function matchesText(t: TorrentSummary, text: string): boolean {
  const q = text.trim().toLowerCase()
  if (!q) return true
  return t.name.toLowerCase().includes(q) || t.infoHash.startsWith(q)
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

const statusOrder: Record<TorrentStatus, number> = {
  error: 0,
  checking: 1,
  'fetching-metadata': 2,
  downloading: 3,
  seeding: 4,
  paused: 5,
}

function keyCompare(key: SortKey, a: TorrentSummary, b: TorrentSummary): number {
  switch (key) {
    case 'name':
      return collator.compare(a.name, b.name)
    case 'status':
      return statusOrder[a.status] - statusOrder[b.status]
    case 'eta':
      return (a.eta ?? Infinity) - (b.eta ?? Infinity) || 0
    case 'addedAt':
      return a.addedAt < b.addedAt ? -1 : a.addedAt > b.addedAt ? 1 : 0
    case 'peers':
      return a.peers - b.peers || a.seeds - b.seeds
    default:
      return a[key] - b[key]
  }
}

export function compareTorrents(
  key: SortKey,
  dir: SortDir,
): (a: TorrentSummary, b: TorrentSummary) => number {
  const sign = dir === 'asc' ? 1 : -1
  return (a, b) => {
    const c = keyCompare(key, a, b)
    if (c !== 0 && !Number.isNaN(c)) return sign * c
    // A stable, total order so rows do not jump between equal keys.
    return a.infoHash < b.infoHash ? -1 : a.infoHash > b.infoHash ? 1 : 0
  }
}

export function viewTorrents(
  all: Iterable<TorrentSummary>,
  opts: { status: StatusFilter; text: string; sortKey: SortKey; sortDir: SortDir },
): TorrentSummary[] {
  const out: TorrentSummary[] = []
  for (const t of all) if (matchesStatus(t, opts.status) && matchesText(t, opts.text)) out.push(t)
  return out.sort(compareTorrents(opts.sortKey, opts.sortDir))
}
