import type { TorrentSummary } from '@shared/api'

/** A tracker facet: a tracker's host name, or TRACKERLESS for torrents without any tracker. */
export const TRACKERLESS = ''
export type TrackerFacet = string

// magnetURI changes rarely while summaries are replaced every second: parse each distinct one once.
const hostCache = new Map<string, readonly string[]>()
const CACHE_LIMIT = 5_000

/** Host names of a torrent's trackers, from the tr= parameters of its magnet link; unparsable ones are left out. */
export function trackerHosts(t: TorrentSummary): readonly string[] {
  const cached = hostCache.get(t.magnetURI)
  if (cached) return cached
  const hosts = new Set<string>()
  const query = t.magnetURI.slice(t.magnetURI.indexOf('?') + 1)
  for (const tr of new URLSearchParams(query).getAll('tr')) {
    try {
      const host = new URL(tr).hostname
      if (host) hosts.add(host.toLowerCase())
    } catch {
      // not a URL: nothing to group by
    }
  }
  const list = [...hosts]
  if (hostCache.size >= CACHE_LIMIT) hostCache.clear()
  hostCache.set(t.magnetURI, list)
  return list
}

export function matchesTracker(t: TorrentSummary, facet: TrackerFacet | null): boolean {
  if (facet === null) return true
  const hosts = trackerHosts(t)
  return facet === TRACKERLESS ? hosts.length === 0 : hosts.includes(facet)
}

/** Each tracker host with how many torrents use it (sorted by host), and the trackerless count. */
export function trackerCounts(all: Iterable<TorrentSummary>): {
  hosts: { host: string; count: number }[]
  trackerless: number
} {
  const counts = new Map<string, number>()
  let trackerless = 0
  for (const t of all) {
    const hosts = trackerHosts(t)
    if (!hosts.length) trackerless++
    for (const h of hosts) counts.set(h, (counts.get(h) ?? 0) + 1)
  }
  const hosts = [...counts]
    .map(([host, count]) => ({ host, count }))
    .sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0))
  return { hosts, trackerless }
}
