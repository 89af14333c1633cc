import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { TorrentSummary } from '../../../shared/api'

/** Torrent summaries keyed by info hash: a snapshot first, then the engine's deltas. */
export const useTorrentsStore = defineStore('torrents', () => {
  const byHash = ref(new Map<string, TorrentSummary>())
  const connected = ref(false)

  function replaceAll(list: TorrentSummary[]): void {
    byHash.value = new Map(list.map((t) => [t.infoHash, t]))
  }
  function apply(changed: TorrentSummary[]): void {
    for (const t of changed) byHash.value.set(t.infoHash, t)
  }
  function remove(infoHash: string): void {
    byHash.value.delete(infoHash)
  }

  async function connect(): Promise<void> {
    const api = window.seedling
    if (!api) return
    api.on('torrents:changed', apply)
    api.on('torrent:added', (t) => apply([t]))
    api.on('torrent:removed', remove)
    replaceAll(await api.listTorrents())
    connected.value = true
  }

  return { byHash, connected, replaceAll, apply, remove, connect }
})
