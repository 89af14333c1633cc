import { ref, toValue } from 'vue'
import type { MaybeRefOrGetter } from 'vue'
import type { InfoHash, TorrentDetail } from '@shared/api'
import { getClient } from '../api'
import { usePolling } from './polling'

/** Polls `getTorrent` for the shown torrent while the calling tab is mounted (that is, visible). */
export function useTorrentDetail(infoHash: MaybeRefOrGetter<InfoHash>, intervalMs: number) {
  const detail = ref<TorrentDetail | null>(null)
  const error = ref<string | null>(null)
  let shownFor: InfoHash | null = null

  async function refresh(): Promise<void> {
    const hash = toValue(infoHash)
    if (hash !== shownFor) {
      detail.value = null
      shownFor = hash
    }
    try {
      const d = await getClient().getTorrent({ infoHash: hash })
      if (toValue(infoHash) !== hash) return // the user moved on meanwhile
      detail.value = d
      error.value = null
    } catch (err) {
      if (toValue(infoHash) === hash) error.value = (err as Error).message
    }
  }

  usePolling(() => toValue(infoHash), refresh, intervalMs)
  return { detail, error, refresh }
}
