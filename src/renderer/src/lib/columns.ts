import type { TorrentStatus } from '@shared/api'
import { t } from '../i18n'
import type { SortKey } from './torrent-view'

export interface Column {
  key: SortKey
  /** A function, so the header follows a language switch. */
  label: () => string
  width: string
  numeric?: boolean
}

export const columns: readonly Column[] = [
  { key: 'name', label: () => t('column.name'), width: 'minmax(180px, 3fr)' },
  { key: 'length', label: () => t('column.size'), width: '80px', numeric: true },
  { key: 'progress', label: () => t('column.progress'), width: 'minmax(110px, 1fr)' },
  { key: 'status', label: () => t('column.status'), width: '120px' },
  { key: 'downloadSpeed', label: () => t('column.down'), width: '90px', numeric: true },
  { key: 'uploadSpeed', label: () => t('column.up'), width: '90px', numeric: true },
  { key: 'eta', label: () => t('column.eta'), width: '84px', numeric: true },
  { key: 'peers', label: () => t('column.peers'), width: '80px', numeric: true },
  { key: 'ratio', label: () => t('column.ratio'), width: '60px', numeric: true },
  { key: 'addedAt', label: () => t('column.added'), width: '150px' },
]

export const gridTemplate = columns.map((c) => c.width).join(' ')

const statusLabels: Record<TorrentStatus, () => string> = {
  checking: () => t('status.checking'),
  'fetching-metadata': () => t('status.fetching-metadata'),
  downloading: () => t('status.downloading'),
  seeding: () => t('status.seeding'),
  paused: () => t('status.paused'),
  error: () => t('status.error'),
}

export function statusLabel(s: TorrentStatus): string {
  return statusLabels[s]()
}
