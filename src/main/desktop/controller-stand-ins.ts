/**
 * Stand-ins for the Electron objects and the engine that the desktop controllers receive, for their unit
 * tests (the Electron binary is not available to them). Each records what was done to it.
 */
import { EventEmitter } from 'node:events'
import type {
  InfoHashesRequest,
  Settings,
  SettingsPatch,
  TorrentStatus,
  TorrentSummary,
} from '@shared/api'
import type { DesktopSettings, DesktopSettingsPatch } from '@shared/desktop-api'
import { applyDesktopPatch, defaultDesktopSettings } from './desktop-settings'
import type { MainWindow } from './window-controller'

let serial = 0
/** A torrent summary with the fields the desktop reads; the rest is not looked at. */
export function summary(
  status: TorrentStatus,
  extra: Partial<TorrentSummary> = {},
): TorrentSummary {
  serial++
  return {
    infoHash: serial.toString(16).padStart(40, '0'),
    name: `t${serial}`,
    status,
    paused: status === 'paused',
    error: status === 'error' ? 'disk full' : null,
    completedAt: null,
    ...extra,
  } as TorrentSummary
}

export function preventable(): { prevented: boolean; preventDefault(): void } {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true
    },
  }
}

export class FakeWindow extends EventEmitter implements MainWindow {
  destroyed = false
  minimized = false
  visible: boolean
  focused = false
  readonly sent: Array<[string, unknown]> = []
  readonly webContents = Object.assign(new EventEmitter(), {
    send: (channel: string, payload: unknown): void => void this.sent.push([channel, payload]),
  })

  constructor(show: boolean) {
    super()
    this.visible = show
  }
  isDestroyed = (): boolean => this.destroyed
  isMinimized = (): boolean => this.minimized
  isVisible = (): boolean => this.visible
  restore = (): void => void (this.minimized = false)
  focus = (): void => void (this.focused = true)
  show = (): void => {
    this.visible = true
    this.emit('show')
  }
  hide = (): void => {
    this.visible = false
    this.emit('hide')
  }
  /** What Electron does on a close nobody prevents: the window goes, then `closed`. */
  close(): { prevented: boolean } {
    const event = preventable()
    this.emit('close', event)
    if (!event.prevented) {
      this.destroyed = true
      this.emit('closed')
    }
    return event
  }
}

/** The desktop settings store, in memory. */
export class MemorySettings {
  current: DesktopSettings
  writes = 0

  constructor(patch: Partial<DesktopSettings> = {}) {
    this.current = { ...defaultDesktopSettings(), ...patch }
  }
  get = (): DesktopSettings => structuredClone(this.current)
  set = async (next: DesktopSettings): Promise<void> => {
    this.current = structuredClone(next)
    this.writes++
  }
  update = async (patch: DesktopSettingsPatch): Promise<DesktopSettings> => {
    await this.set(applyDesktopPatch(this.current, patch))
    return this.get()
  }
  flush = async (): Promise<void> => undefined
}

/** The engine's API as far as the controllers call it, with its limits kept. */
export class FakeEngine {
  limits = { downloadLimit: 0, uploadLimit: 0 }
  readonly calls: Array<[string, unknown]> = []

  pauseTorrents = async (req: InfoHashesRequest): Promise<void> =>
    void this.calls.push(['pauseTorrents', req])
  resumeTorrents = async (req: InfoHashesRequest): Promise<void> =>
    void this.calls.push(['resumeTorrents', req])
  getSettings = async (): Promise<Settings> => ({ ...this.limits }) as Settings
  updateSettings = async (patch: SettingsPatch): Promise<Settings> => {
    this.calls.push(['updateSettings', patch])
    this.limits = { ...this.limits, ...patch }
    return this.getSettings()
  }
}
