/**
 * Settings that only the desktop app has (tray, login item, notifications, alternative speed limits,
 * window placement). They live in their own small file in userData, not in the engine's session, and are
 * checked field by field on load so one bad value never costs the others. Pure Node: no Electron.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { DesktopSettingsPatchSchema, DesktopSettingsSchema } from '@shared/desktop-settings-schema'
import type { DesktopSettings, DesktopSettingsPatch } from '@shared/desktop-api'
import { writeFileAtomic } from '../engine/atomic-file'

export const defaultDesktopSettings = (): DesktopSettings => ({
  closeToTray: true,
  closeToTrayHintShown: false,
  startMinimized: false,
  startOnLogin: false,
  notifications: true,
  altSpeed: { enabled: false, downloadLimit: 100 * 1024, uploadLimit: 20 * 1024 },
  normalLimits: null,
  window: null,
})

/** Keeps every valid field of `raw`, defaults for the rest; `warning` says what was dropped. */
export function parseDesktopSettings(raw: unknown): {
  settings: DesktopSettings
  warning: string | null
} {
  const defaults = defaultDesktopSettings()
  const whole = DesktopSettingsSchema.safeParse(raw)
  if (whole.success) return { settings: whole.data, warning: null }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { settings: defaults, warning: 'desktop settings were unreadable; using defaults' }
  const shape = DesktopSettingsSchema.shape
  const record = raw as Record<string, unknown>
  const dropped: string[] = []
  const settings: Record<string, unknown> = { ...defaults }
  for (const key of Object.keys(shape) as Array<keyof typeof shape>) {
    if (!(key in record)) continue
    const field = shape[key].safeParse(record[key])
    if (field.success) settings[key] = field.data
    else dropped.push(key)
  }
  return {
    settings: settings as DesktopSettings,
    warning: dropped.length ? `desktop settings: reset invalid ${dropped.join(', ')}` : null,
  }
}

export function applyDesktopPatch(
  current: DesktopSettings,
  patch: DesktopSettingsPatch,
): DesktopSettings {
  const { altSpeed, ...rest } = patch
  return DesktopSettingsSchema.parse({
    ...current,
    ...rest,
    altSpeed: { ...current.altSpeed, ...altSpeed },
  })
}

/** The desktop settings file: loaded once, every change written atomically and in order. */
export class DesktopSettingsStore {
  private current: DesktopSettings = defaultDesktopSettings()
  private writing: Promise<void> = Promise.resolve()
  readonly file: string

  constructor(dir: string) {
    this.file = path.join(dir, 'desktop-settings.json')
  }

  async load(): Promise<string | null> {
    let text: string
    try {
      text = await fs.readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      return `desktop settings could not be read: ${(err as Error).message}`
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      this.current = defaultDesktopSettings()
      return 'desktop settings were not valid JSON; using defaults'
    }
    const { settings, warning } = parseDesktopSettings(raw)
    this.current = settings
    return warning
  }

  get(): DesktopSettings {
    return structuredClone(this.current)
  }

  /** Replaces the settings (already validated) and writes them. */
  set(next: DesktopSettings): Promise<void> {
    this.current = DesktopSettingsSchema.parse(next)
    const text = `${JSON.stringify(this.current, null, 2)}\n`
    const run = this.writing.then(() => writeFileAtomic(this.file, text))
    this.writing = run.catch(() => undefined)
    return run
  }

  async update(patch: DesktopSettingsPatch): Promise<DesktopSettings> {
    const next = applyDesktopPatch(this.current, DesktopSettingsPatchSchema.parse(patch))
    await this.set(next)
    return this.get()
  }

  flush(): Promise<void> {
    return this.writing
  }
}

export interface SpeedLimits {
  downloadLimit: number
  uploadLimit: number
}

/**
 * Turning the alternative speed limits on or off: which engine limits to apply and what to remember. The
 * engine's normal limits are kept while the alternative ones are in force and restored after.
 */
export function altSpeedTransition(
  enable: boolean,
  engineLimits: SpeedLimits,
  desktop: DesktopSettings,
): { enginePatch: SpeedLimits | null; next: DesktopSettings } {
  const alt = desktop.altSpeed
  if (enable === alt.enabled) return { enginePatch: null, next: desktop }
  if (enable) {
    return {
      enginePatch: { downloadLimit: alt.downloadLimit, uploadLimit: alt.uploadLimit },
      next: {
        ...desktop,
        altSpeed: { ...alt, enabled: true },
        normalLimits: {
          downloadLimit: engineLimits.downloadLimit,
          uploadLimit: engineLimits.uploadLimit,
        },
      },
    }
  }
  return {
    enginePatch: desktop.normalLimits ?? { downloadLimit: 0, uploadLimit: 0 },
    next: { ...desktop, altSpeed: { ...alt, enabled: false }, normalLimits: null },
  }
}
