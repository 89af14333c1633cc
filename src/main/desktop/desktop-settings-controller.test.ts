import { describe, expect, it } from 'vitest'
import { FakeEngine, MemorySettings } from './controller-stand-ins'
import { DesktopSettingsController } from './desktop-settings-controller'

function setup() {
  const engine = new FakeEngine()
  engine.limits = { downloadLimit: 5_000_000, uploadLimit: 1_000_000 }
  const store = new MemorySettings({
    altSpeed: { enabled: false, downloadLimit: 100_000, uploadLimit: 20_000 },
  })
  const log: string[] = []
  const settings = new DesktopSettingsController({
    store,
    engine,
    setStartOnLogin: async (enabled) => void log.push(`login item ${enabled}`),
    onChange: () => void log.push('changed'),
  })
  return { engine, store, settings, log }
}

describe('DesktopSettingsController', () => {
  it('alternative speed on applies its limits and keeps the normal ones; off restores them', async () => {
    const { engine, store, settings, log } = setup()
    expect((await settings.toggleAltSpeed()).altSpeed.enabled).toBe(true)
    expect(engine.limits).toEqual({ downloadLimit: 100_000, uploadLimit: 20_000 })
    expect(store.current.normalLimits).toEqual({ downloadLimit: 5_000_000, uploadLimit: 1_000_000 })
    expect((await settings.toggleAltSpeed()).altSpeed.enabled).toBe(false)
    expect(engine.limits).toEqual({ downloadLimit: 5_000_000, uploadLimit: 1_000_000 })
    expect(store.current.normalLimits).toBeNull()
    expect(log).toEqual(['changed', 'changed'])
  })

  it('setting the state it is already in changes nothing in the engine', async () => {
    const { engine, settings } = setup()
    await settings.setAltSpeed(false)
    expect(engine.calls).toEqual([])
  })

  it('an update that turns alternative speed on goes through the same transition', async () => {
    const { engine, store, settings } = setup()
    await settings.update({ altSpeed: { enabled: true, downloadLimit: 50_000 } })
    expect(engine.limits).toEqual({ downloadLimit: 50_000, uploadLimit: 20_000 })
    expect(store.current.normalLimits).toEqual({ downloadLimit: 5_000_000, uploadLimit: 1_000_000 })
  })

  it('new alternative limits while they are on apply at once; while off they are only kept', async () => {
    const { engine, store, settings } = setup()
    await settings.update({ altSpeed: { uploadLimit: 10_000 } })
    expect(engine.calls).toEqual([])
    expect(store.current.altSpeed.uploadLimit).toBe(10_000)
    await settings.setAltSpeed(true)
    await settings.update({ altSpeed: { downloadLimit: 70_000 } })
    expect(engine.limits).toEqual({ downloadLimit: 70_000, uploadLimit: 10_000 })
    expect(store.current.normalLimits).toEqual({ downloadLimit: 5_000_000, uploadLimit: 1_000_000 })
  })

  it('start on login follows the setting', async () => {
    const { settings, log, store } = setup()
    await settings.update({ startOnLogin: true, notifications: false })
    expect(log).toEqual(['login item true', 'changed'])
    expect(store.current).toMatchObject({ startOnLogin: true, notifications: false })
  })
})
