/**
 * What only the desktop app offers, next to the engine API: native dialogs, revealing files, and add
 * requests that arrive from the OS (double-clicked .torrent files, clicked magnet links). The browser
 * (headless mode) has none of it; the renderer feature-detects `client.desktop`.
 */
import type { z } from 'zod'
import type { DesktopSettingsPatchSchema, DesktopSettingsSchema } from './desktop-settings-schema'
import type { InfoHash, TorrentSource } from './api'

export type DesktopSettings = z.infer<typeof DesktopSettingsSchema>
export type DesktopSettingsPatch = z.infer<typeof DesktopSettingsPatchSchema>

/** The engine host (a utility process) as the desktop shows it: restarts are reported, not hidden. */
export type HostState = 'starting' | 'running' | 'restarting' | 'failed' | 'stopped'

export interface HostStatus {
  state: HostState
  /** Why the host last stopped; null while it has never failed. */
  reason: string | null
  /** Restarts in the current window. */
  restarts: number
}

/** Application menu items the renderer carries out (the rest are handled in main). */
export type MenuCommand = 'open-torrent' | 'add-magnet' | 'create-torrent' | 'quit' | 'about'

/** An add request from outside the window; the renderer shows its add dialog for it. */
export type OpenRequest =
  | { kind: 'magnet'; uri: string }
  | { kind: 'file'; name: string; source: Extract<TorrentSource, { kind: 'file' }> }

export interface DesktopApi {
  /** Native open dialog for .torrent files; the main process reads them (at most MAX_TORRENT_FILE_BYTES each). */
  openTorrentFiles(): Promise<
    Array<{ name: string; source: Extract<TorrentSource, { kind: 'file' }> }>
  >
  /** Native folder picker; null when cancelled. */
  chooseFolder(req: { title: string; defaultPath?: string }): Promise<string | null>
  /** Shows a torrent's data in the OS file manager; main resolves the path from the info hash. */
  revealTorrent(req: { infoHash: InfoHash }): Promise<void>
  getDesktopSettings(): Promise<DesktopSettings>
  updateDesktopSettings(patch: DesktopSettingsPatch): Promise<DesktopSettings>
  /** Add requests from the OS; requests that came before the window subscribed are replayed. */
  onOpenRequest(listener: (req: OpenRequest) => void): () => void
  /** The engine host's state; after `running` follows `restarting`, re-fetch everything. */
  onEngineStatus(listener: (status: HostStatus) => void): () => void
  onMenuCommand(listener: (command: MenuCommand) => void): () => void
}

export const desktopMethods = {
  openTorrentFiles: true,
  chooseFolder: true,
  revealTorrent: true,
  getDesktopSettings: true,
  updateDesktopSettings: true,
} as const satisfies Record<
  Exclude<keyof DesktopApi, 'onOpenRequest' | 'onEngineStatus' | 'onMenuCommand'>,
  true
>
