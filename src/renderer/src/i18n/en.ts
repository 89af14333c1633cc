/**
 * The renderer's words: the source catalogue. `{name}` marks a value filled in at run time; every
 * locale must use the same ones. Keys are flat and dotted, as in the desktop shell's catalogue.
 */
export const en = {
  'language.label': 'Language',
  'language.system': 'System default',
  'column.name': 'Name',
  'column.size': 'Size',
  'column.progress': 'Progress',
  'column.status': 'Status',
  'column.down': 'Down',
  'column.up': 'Up',
  'column.eta': 'ETA',
  'column.peers': 'Peers',
  'column.ratio': 'Ratio',
  'column.added': 'Added',
  'list.torrents': 'Torrents',
  'list.sortBy': 'Sort by {column}',
  'row.progressOf': 'Progress of {name}',
  'status.checking': 'Checking',
  'status.fetching-metadata': 'Fetching metadata',
  'status.downloading': 'Downloading',
  'status.seeding': 'Seeding',
  'status.paused': 'Paused',
  'status.error': 'Error',
  'statusBar.label': 'Status',
  'statusBar.disconnected': 'Disconnected',
  'statusBar.down': 'Total download speed',
  'statusBar.downStale': 'Last known total download speed',
  'statusBar.up': 'Total upload speed',
  'statusBar.upStale': 'Last known total upload speed',
  'statusBar.peers': '{count} peer | {count} peers',
  'statusBar.free': '{size} free',
  'statusBar.port': 'Port {port}',
  'statusBar.connecting': 'Connecting…',
  'details.label': 'Torrent details',
  'details.tabs': 'Details',
  'details.general': 'General',
  'details.files': 'Files',
  'details.peers': 'Peers',
  'details.trackers': 'Trackers',
  'details.pieces': 'Pieces',
  'details.none': 'Select a torrent to see its details.',
  'filter.placeholder': 'Filter by name',
  'filter.label': 'Filter torrents by name',
} as const

export type MessageKey = keyof typeof en
/** A complete translation: a missing or extra key does not compile. */
export type Messages = Record<MessageKey, string>
