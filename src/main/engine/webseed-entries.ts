/**
 * A torrent's web seeds as the API shows them: the list in force (the user's edit, else the torrent's
 * own), each with what the stack reports of it while the torrent runs; one the user removed is gone
 * even while the stack still holds its closed connection. The URL is kept exact (it names the seed in
 * an edit; every source checked it), and the error text, from a server or the stack's reading of one,
 * is made fit to show like tracker text.
 */
import type { WebSeedInfo } from '@shared/api'
import { MAX_WEB_SEEDS_PER_TORRENT } from '@shared/tracker-list'
import type { Entry } from './entries'
import { trackerText } from './tracker-text'

export function webSeedEntries(entry: Entry): WebSeedInfo[] {
  const reports = new Map((entry.torrent?.webSeeds() ?? []).map((r) => [r.url, r]))
  const listed = (entry.record.webSeeds ?? entry.decoded?.meta.urlList ?? []).slice(
    0,
    MAX_WEB_SEEDS_PER_TORRENT,
  )
  return [...new Set(listed)].map((url) => {
    const report = reports.get(url)
    return {
      url,
      state: report?.state ?? 'idle',
      downloaded: report?.downloaded ?? 0,
      error: report?.error ? trackerText(report.error) : null,
      nextRetry:
        report?.state === 'backoff' && report.retryAt !== null
          ? new Date(report.retryAt).toISOString()
          : null,
    }
  })
}
