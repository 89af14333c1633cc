/**
 * Changing the desktop settings: the login item follows `startOnLogin`, and the alternative speed limits
 * are applied to the engine (its normal limits kept, then restored; see altSpeedTransition).
 */
import type { SeedlingApi } from '@shared/api'
import type { DesktopSettings, DesktopSettingsPatch } from '@shared/desktop-api'
import type { DesktopSettingsStore } from './desktop-settings'
import { altSpeedTransition } from './desktop-settings'

export interface DesktopSettingsDeps {
  store: Pick<DesktopSettingsStore, 'get' | 'set' | 'update'>
  engine: Pick<SeedlingApi, 'getSettings' | 'updateSettings'>
  setStartOnLogin(enabled: boolean): Promise<void>
  /** Something the tray shows has changed. */
  onChange(): void
}

export class DesktopSettingsController {
  constructor(private readonly deps: DesktopSettingsDeps) {}

  get(): DesktopSettings {
    return this.deps.store.get()
  }

  async setAltSpeed(enable: boolean): Promise<DesktopSettings> {
    const { engine, store } = this.deps
    const limits = await engine.getSettings()
    const { enginePatch, next } = altSpeedTransition(enable, limits, store.get())
    if (enginePatch) await engine.updateSettings(enginePatch)
    await store.set(next)
    this.deps.onChange()
    return store.get()
  }

  toggleAltSpeed(): Promise<DesktopSettings> {
    return this.setAltSpeed(!this.deps.store.get().altSpeed.enabled)
  }

  async update(patch: DesktopSettingsPatch): Promise<DesktopSettings> {
    const { engine, store } = this.deps
    const before = store.get()
    const { altSpeed, ...rest } = patch
    // `enabled` goes through setAltSpeed below, which also moves the engine's limits.
    await store.update({ ...rest, altSpeed: { ...altSpeed, enabled: before.altSpeed.enabled } })
    if (patch.startOnLogin !== undefined) await this.deps.setStartOnLogin(patch.startOnLogin)
    if (altSpeed?.enabled !== undefined && altSpeed.enabled !== before.altSpeed.enabled) {
      await this.setAltSpeed(altSpeed.enabled)
    } else if (before.altSpeed.enabled && altSpeed) {
      // New alternative limits while they are in force: apply them now.
      const now = store.get().altSpeed
      await engine.updateSettings({
        downloadLimit: now.downloadLimit,
        uploadLimit: now.uploadLimit,
      })
    }
    this.deps.onChange()
    return store.get()
  }
}
