/**
 * What only the desktop app offers, next to the engine API: native dialogs, revealing files, and add
 * requests that arrive from the OS (double-clicked .torrent files, clicked magnet links). The browser
 * (headless mode) has none of it; the renderer feature-detects `client.desktop`.
 */
import type { InfoHash, TorrentSource } from './api'

/** An add request from outside the window; the renderer shows its add dialog for it. */
export type OpenRequest =
  | { kind: 'magnet'; uri: string }
  | { kind: 'file'; name: string; source: Extract<TorrentSource, { kind: 'file' }> }

export interface DesktopApi {
  /** Native open dialog for .torrent files; the main process reads them (at most 10 MB each). */
  openTorrentFiles(): Promise<
    Array<{ name: string; source: Extract<TorrentSource, { kind: 'file' }> }>
  >
  /** Native folder picker; null when cancelled. */
  chooseFolder(req: { title: string; defaultPath?: string }): Promise<string | null>
  /** Shows a torrent's data in the OS file manager; main resolves the path from the info hash. */
  revealTorrent(req: { infoHash: InfoHash }): Promise<void>
  /** Add requests from the OS; requests that came before the window subscribed are replayed. */
  onOpenRequest(listener: (req: OpenRequest) => void): () => void
}

export const desktopMethods = {
  openTorrentFiles: true,
  chooseFolder: true,
  revealTorrent: true,
} as const satisfies Record<Exclude<keyof DesktopApi, 'onOpenRequest'>, true>
