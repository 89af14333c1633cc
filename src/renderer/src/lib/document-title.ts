import type { EngineStats } from '@shared/api'
import { useFormat } from '../composables/format'
import { t } from '../i18n'

/**
 * The tab (and window) title: the total speeds first, as qBittorrent does, so they show in a tab strip
 * or task bar; no speeds while disconnected, where they would be stale. It reads the UI's language
 * itself, so App's watchEffect that sets the title follows a language switch.
 */
export function documentTitle(
  stats: Pick<EngineStats, 'downloadSpeed' | 'uploadSpeed'> | null,
  offline: boolean,
): string {
  if (offline) return t('title.disconnected')
  if (!stats) return 'Seedling'
  const format = useFormat()
  return t('title.speeds', {
    down: format.speed(stats.downloadSpeed),
    up: format.speed(stats.uploadSpeed),
  })
}
