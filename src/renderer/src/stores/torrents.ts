import { defineStore } from 'pinia'
import { computed, ref, shallowReactive, watch } from 'vue'
import type { InfoHash, TorrentSummary } from '@shared/api'
import { getClient } from '../api'
import { viewTorrents } from '../lib/torrent-view'
import type { SortDir, SortKey, StatusFilter } from '../lib/torrent-view'
import { matchesStatus, statusFilters } from '../lib/torrent-view'
import { labelCounts, matchesCategory, matchesTag } from '../lib/label-facet'
import type { LabelFacet } from '../lib/label-facet'
import { matchesTracker, trackerCounts } from '../lib/tracker-facet'
import type { TrackerFacet } from '../lib/tracker-facet'

type Pending = { kind: 'changed'; list: TorrentSummary[] } | { kind: 'removed'; infoHash: InfoHash }

/**
 * Torrent summaries keyed by info hash. Connecting subscribes to the events first, fetches the snapshot,
 * then replays whatever arrived meanwhile in order, so no change between the two is lost.
 */
export const useTorrentsStore = defineStore('torrents', () => {
  // Summaries are replaced whole per delta; the map is shallow so 1,000 entries stay cheap.
  const byHash = shallowReactive(new Map<InfoHash, TorrentSummary>())
  const connected = ref(false)
  const loadError = ref<string | null>(null)

  const sortKey = ref<SortKey>('addedAt')
  const sortDir = ref<SortDir>('desc')
  const statusFilter = ref<StatusFilter>('all')
  const textFilter = ref('')
  /** A tracker host, TRACKERLESS, or null for any. */
  const trackerFilter = ref<TrackerFacet | null>(null)
  /** A category or tag, UNLABELLED, or null for any. */
  const categoryFilter = ref<LabelFacet | null>(null)
  const tagFilter = ref<LabelFacet | null>(null)

  const visible = computed(() =>
    viewTorrents(
      [...byHash.values()].filter(
        (t) =>
          matchesTracker(t, trackerFilter.value) &&
          matchesCategory(t, categoryFilter.value) &&
          matchesTag(t, tagFilter.value),
      ),
      {
        status: statusFilter.value,
        text: textFilter.value,
        sortKey: sortKey.value,
        sortDir: sortDir.value,
      },
    ),
  )

  const counts = computed(() => {
    const c = Object.fromEntries(statusFilters.map((f) => [f, 0])) as Record<StatusFilter, number>
    for (const t of byHash.values()) for (const f of statusFilters) if (matchesStatus(t, f)) c[f]++
    return c
  })
  const trackers = computed(() => trackerCounts(byHash.values()))
  const labels = computed(() => labelCounts(byHash.values()))
  // A filter on a label no torrent has any more (relabelled or removed) would hide every torrent
  // behind a button that is gone.
  watch(labels, (l) => {
    if (categoryFilter.value && !l.categories.some((c) => c.label === categoryFilter.value)) {
      categoryFilter.value = null
    }
    if (tagFilter.value && !l.tags.some((c) => c.label === tagFilter.value)) tagFilter.value = null
  })

  function replaceAll(list: TorrentSummary[]): void {
    byHash.clear()
    for (const t of list) byHash.set(t.infoHash, t)
  }
  function apply(changed: TorrentSummary[]): void {
    for (const t of changed) byHash.set(t.infoHash, t)
  }
  function remove(infoHash: InfoHash): void {
    byHash.delete(infoHash)
  }

  function sortBy(key: SortKey): void {
    if (sortKey.value === key) sortDir.value = sortDir.value === 'asc' ? 'desc' : 'asc'
    else {
      sortKey.value = key
      sortDir.value = key === 'name' || key === 'status' || key === 'eta' ? 'asc' : 'desc'
    }
  }

  let unsubscribe: (() => void)[] = []

  async function connect(): Promise<void> {
    disconnect()
    const client = getClient()
    let pending: Pending[] | null = []
    const onChanged = (list: TorrentSummary[]): void => {
      if (pending) pending.push({ kind: 'changed', list })
      else apply(list)
    }
    const onRemoved = (infoHash: InfoHash): void => {
      if (pending) pending.push({ kind: 'removed', infoHash })
      else remove(infoHash)
    }
    unsubscribe = [
      client.on('torrents:changed', onChanged),
      client.on('torrent:added', (t) => onChanged([t])),
      client.on('torrent:removed', onRemoved),
    ]
    try {
      const snapshot = await client.listTorrents()
      replaceAll(snapshot)
      const queued: Pending[] = pending
      pending = null
      for (const p of queued) {
        if (p.kind === 'changed') apply(p.list)
        else remove(p.infoHash)
      }
      connected.value = true
      loadError.value = null
    } catch (err) {
      pending = null
      loadError.value = (err as Error).message
      throw err
    }
  }

  function disconnect(): void {
    for (const off of unsubscribe) off()
    unsubscribe = []
    connected.value = false
  }

  return {
    byHash,
    connected,
    loadError,
    sortKey,
    sortDir,
    statusFilter,
    textFilter,
    trackerFilter,
    categoryFilter,
    tagFilter,
    visible,
    counts,
    trackers,
    labels,
    replaceAll,
    apply,
    remove,
    sortBy,
    connect,
    disconnect,
  }
})
