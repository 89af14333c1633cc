import type { EngineStats } from '@shared/api'
import { formatSpeed } from '@shared/format'

/**
 * The tab (and window) title: the total speeds first, as qBittorrent does, so they show in a tab strip
 * or task bar; no speeds while disconnected, where they would be stale.
 */
export function documentTitle(
  stats: Pick<EngineStats, 'downloadSpeed' | 'uploadSpeed'> | null,
  offline: boolean,
): string {
  if (offline) return 'Seedling (disconnected)'
  if (!stats) return 'Seedling'
  return `↓ ${formatSpeed(stats.downloadSpeed)} ↑ ${formatSpeed(stats.uploadSpeed)} – Seedling`
}
