import type { TorrentStatus } from '@shared/api'
import type { SortKey } from './torrent-view'

export interface Column {
  key: SortKey
  label: string
  width: string
  numeric?: boolean
}

export const columns: readonly Column[] = [
  { key: 'name', label: 'Name', width: 'minmax(180px, 3fr)' },
  { key: 'length', label: 'Size', width: '80px', numeric: true },
  { key: 'progress', label: 'Progress', width: 'minmax(110px, 1fr)' },
  { key: 'status', label: 'Status', width: '120px' },
  { key: 'downloadSpeed', label: 'Down', width: '90px', numeric: true },
  { key: 'uploadSpeed', label: 'Up', width: '90px', numeric: true },
  { key: 'eta', label: 'ETA', width: '84px', numeric: true },
  { key: 'peers', label: 'Peers', width: '80px', numeric: true },
  { key: 'ratio', label: 'Ratio', width: '60px', numeric: true },
  { key: 'addedAt', label: 'Added', width: '140px' },
]

export const gridTemplate = columns.map((c) => c.width).join(' ')

const statusLabels: Record<TorrentStatus, string> = {
  checking: 'Checking',
  'fetching-metadata': 'Fetching metadata',
  downloading: 'Downloading',
  seeding: 'Seeding',
  paused: 'Paused',
  error: 'Error',
}

export function statusLabel(s: TorrentStatus): string {
  return statusLabels[s]
}
