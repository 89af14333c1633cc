/**
 * The tray icon's behaviour: what it shows (from tray-model.ts, over the torrents, the last stats and the
 * engine's health) and what its menu does. Where the desktop has no tray, everything here is a no-op.
 */
import type { EngineStats, SeedlingApi } from '@shared/api'
import type { DesktopSettings } from '@shared/desktop-api'
import type { TrayView } from './tray'
import type { TorrentIndex, TrayAction } from './tray-model'
import { countTorrents, trayIconState, trayMenu, trayTooltip } from './tray-model'
import type { Translate } from './i18n/translate'

/** The part of SeedlingTray this controller uses. */
export interface TrayIcon {
  update(view: TrayView): void
  destroy(): void
}

export interface TrayDeps {
  /** The tray icon; throws where the desktop has none. */
  create(onAction: (action: TrayAction) => void, onClick: () => void): TrayIcon
  torrents: TorrentIndex
  settings: { get(): DesktopSettings }
  engine: Pick<SeedlingApi, 'pauseTorrents' | 'resumeTorrents'>
  windowVisible(): boolean
  toggleWindow(): void
  toggleAltSpeed(): Promise<unknown>
  quit(): void
  warn(message: string): void
  t: Translate
}

export class TrayController {
  private readonly icon: TrayIcon | null
  private stats: Pick<EngineStats, 'downloadSpeed' | 'uploadSpeed'> | null = null
  private engineFailed = false

  constructor(private readonly deps: TrayDeps) {
    this.icon = this.createIcon()
  }

  private createIcon(): TrayIcon | null {
    try {
      return this.deps.create(
        (action) => this.onAction(action),
        () => this.deps.toggleWindow(),
      )
    } catch (err) {
      this.deps.warn(`[tray] unavailable: ${(err as Error).message}`)
      return null
    }
  }

  get available(): boolean {
    return this.icon !== null
  }

  setStats(stats: Pick<EngineStats, 'downloadSpeed' | 'uploadSpeed'>): void {
    this.stats = stats
    this.refresh()
  }

  setEngineFailed(failed: boolean): void {
    this.engineFailed = failed
    this.refresh()
  }

  refresh(): void {
    if (!this.icon) return
    const counts = countTorrents(this.deps.torrents.all())
    const altSpeed = this.deps.settings.get().altSpeed.enabled
    const engineFailed = this.engineFailed
    this.icon.update({
      state: trayIconState(counts, engineFailed),
      tooltip: trayTooltip(counts, this.stats, { altSpeed, engineFailed }, this.deps.t),
      menu: trayMenu(
        {
          windowVisible: this.deps.windowVisible(),
          counts,
          altSpeed,
          engineRunning: !engineFailed,
        },
        this.deps.t,
      ),
    })
  }

  /** A click on one of the tray menu's items; failures are logged, the tray has nowhere to show them. */
  onAction(action: TrayAction): Promise<void> {
    return this.run(action).catch((err: Error) =>
      this.deps.warn(`[tray] ${action}: ${err.message}`),
    )
  }

  private async run(action: TrayAction): Promise<void> {
    const { engine, torrents } = this.deps
    switch (action) {
      case 'toggle-window':
        return this.deps.toggleWindow()
      case 'quit':
        return this.deps.quit()
      case 'pause-all': {
        const infoHashes = torrents.hashes((t) => !t.paused && t.status !== 'error')
        if (infoHashes.length) await engine.pauseTorrents({ infoHashes })
        return
      }
      case 'resume-all': {
        const infoHashes = torrents.hashes((t) => t.paused)
        if (infoHashes.length) await engine.resumeTorrents({ infoHashes })
        return
      }
      case 'alt-speed':
        await this.deps.toggleAltSpeed()
        return
    }
  }

  destroy(): void {
    this.icon?.destroy()
  }
}
