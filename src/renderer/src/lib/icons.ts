/** The toolbar's line icons: SVG path data on a 16×16 grid, stroked with the text colour. */
export type IconName =
  | 'open'
  | 'magnet'
  | 'create'
  | 'resume'
  | 'pause'
  | 'remove'
  | 'recheck'
  | 'folder'
  | 'copy'
  | 'settings'
  | 'link'

export const iconPaths: Record<IconName, readonly string[]> = {
  open: ['M2 4.5h4l1.5 1.5H14v6.5H2z', 'M8 8v3.5M6.5 10 8 11.5 9.5 10'],
  magnet: [
    'M4 2.5v5a4 4 0 0 0 8 0v-5',
    'M4 2.5h2.5v5a1.5 1.5 0 0 0 3 0v-5H12',
    'M4 5h2.5M9.5 5H12',
  ],
  create: ['M4 1.5h5.5L12 4v10.5H4z', 'M8 6.5v5M5.5 9h5'],
  resume: ['M5 3v10l8-5z'],
  pause: ['M5 3v10M11 3v10'],
  remove: ['M3 4.5h10', 'M6 4.5V3h4v1.5', 'M4.5 4.5l.75 9h5.5l.75-9'],
  recheck: ['M13 8a5 5 0 1 1-1.5-3.6', 'M13 2.5v3h-3'],
  folder: ['M2 4.5h4l1.5 1.5H14v6.5H2z'],
  copy: ['M5.5 5.5h8v8h-8z', 'M3.5 10.5h-1v-8h8v1'],
  settings: ['M3 4h10M3 8h10M3 12h10', 'M6 2.5v3M10 6.5v3M5 10.5v3'],
  link: [
    'M7 9a3 3 0 0 0 4.2 0l2-2a3 3 0 0 0-4.2-4.2l-.8.8',
    'M9 7a3 3 0 0 0-4.2 0l-2 2a3 3 0 0 0 4.2 4.2l.8-.8',
  ],
}
