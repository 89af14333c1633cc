/**
 * The desktop shell's own words (application menu, tray, notifications, file dialogs): the source
 * catalogue. `{name}` marks a value filled in at run time; every locale must use the same ones.
 */
export const en = {
  'menu.file': 'File',
  'menu.edit': 'Edit',
  'menu.view': 'View',
  'menu.window': 'Window',
  'menu.help': 'Help',
  'menu.openTorrent': 'Open Torrent…',
  'menu.addMagnet': 'Add Magnet Link…',
  'menu.createTorrent': 'Create Torrent…',
  'menu.quit': 'Quit',
  'menu.about': 'About Seedling',
  'tray.show': 'Show Seedling',
  'tray.hide': 'Hide Seedling',
  'tray.pauseAll': 'Pause all',
  'tray.resumeAll': 'Resume all',
  'tray.altSpeed': 'Alternative speed limits',
  'tray.quit': 'Quit Seedling',
  'tray.downloading': 'Downloading: {count}',
  'tray.seeding': 'Seeding: {count}',
  'tray.paused': 'Paused: {count}',
  'tray.errors': 'With errors: {count}',
  'tray.engineStopped': 'The engine has stopped',
  'tray.altSpeedOn': 'Alternative speed limits on',
  'notify.done': 'Download complete',
  'notify.error': 'Torrent error',
  'notify.engineGaveUp': 'The Seedling engine stopped',
  'notify.engineGaveUpBody': 'It stopped too often to be restarted ({reason}). Restart Seedling.',
  'notify.stillRunning': 'Seedling is still running',
  'notify.stillRunningBody':
    'Transfers go on in the background. Quit from the tray icon to stop them.',
  'dialog.openTorrents': 'Open torrent files',
  'dialog.torrentFiles': 'Torrent files',
  'dialog.someNotOpened': 'Some files could not be opened',
} as const

export type MessageKey = keyof typeof en
/** A complete translation: a missing or extra key does not compile. */
export type Messages = Record<MessageKey, string>
