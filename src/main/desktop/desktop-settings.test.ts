import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  altSpeedTransition,
  defaultDesktopSettings,
  DesktopSettingsStore,
  parseDesktopSettings,
} from './desktop-settings'

const tmp = (): Promise<string> => fs.mkdtemp(path.join(os.tmpdir(), 'seedling-desktop-'))

describe('desktop settings', () => {
  it('defaults: close to tray and notifications on, login and minimized off', () => {
    const d = defaultDesktopSettings()
    expect(d).toMatchObject({
      closeToTray: true,
      notifications: true,
      startOnLogin: false,
      startMinimized: false,
      altSpeed: { enabled: false },
      window: null,
    })
  })

  it('keeps valid fields and resets invalid ones on load', () => {
    const { settings, warning } = parseDesktopSettings({
      closeToTray: false,
      notifications: 'yes',
      window: { x: 1, y: 2, width: 800, height: 600, maximized: true },
      altSpeed: { enabled: true, downloadLimit: -1, uploadLimit: 0 },
      unknown: 1,
    })
    expect(settings.closeToTray).toBe(false)
    expect(settings.notifications).toBe(true)
    expect(settings.window).toEqual({ x: 1, y: 2, width: 800, height: 600, maximized: true })
    expect(settings.altSpeed).toEqual(defaultDesktopSettings().altSpeed)
    expect(warning).toBe('desktop settings: reset invalid notifications, altSpeed')
    expect(parseDesktopSettings([1]).settings).toEqual(defaultDesktopSettings())
  })

  it('writes atomically, reloads what it wrote, survives a corrupt file', async () => {
    const dir = await tmp()
    const store = new DesktopSettingsStore(dir)
    expect(await store.load()).toBeNull()
    const next = await store.update({ closeToTray: false, altSpeed: { downloadLimit: 5000 } })
    expect(next.closeToTray).toBe(false)
    expect(next.altSpeed.downloadLimit).toBe(5000)
    const again = new DesktopSettingsStore(dir)
    expect(await again.load()).toBeNull()
    expect(again.get()).toEqual(next)
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])

    await fs.writeFile(store.file, '{not json')
    const broken = new DesktopSettingsStore(dir)
    expect(await broken.load()).toMatch(/not valid JSON/)
    expect(broken.get()).toEqual(defaultDesktopSettings())
  })

  it('refuses patches of fields the user may not set', async () => {
    const store = new DesktopSettingsStore(await tmp())
    await expect(store.update({ window: null } as never)).rejects.toThrow()
    await expect(store.update({ notifications: 1 } as never)).rejects.toThrow()
  })
})

describe('altSpeedTransition', () => {
  const engine = { downloadLimit: 1_000_000, uploadLimit: 200_000 }
  const base = defaultDesktopSettings()

  it('turning on applies the alternative limits and remembers the normal ones', () => {
    const { enginePatch, next } = altSpeedTransition(true, engine, base)
    expect(enginePatch).toEqual({
      downloadLimit: base.altSpeed.downloadLimit,
      uploadLimit: base.altSpeed.uploadLimit,
    })
    expect(next.altSpeed.enabled).toBe(true)
    expect(next.normalLimits).toEqual(engine)
  })

  it('turning off restores the normal limits', () => {
    const on = altSpeedTransition(true, engine, base).next
    const { enginePatch, next } = altSpeedTransition(
      false,
      { downloadLimit: 1, uploadLimit: 1 },
      on,
    )
    expect(enginePatch).toEqual(engine)
    expect(next.altSpeed.enabled).toBe(false)
    expect(next.normalLimits).toBeNull()
  })

  it('is a no-op when already in the asked state; unlimited when nothing was remembered', () => {
    expect(altSpeedTransition(false, engine, base).enginePatch).toBeNull()
    const odd = { ...base, altSpeed: { ...base.altSpeed, enabled: true }, normalLimits: null }
    expect(altSpeedTransition(false, engine, odd).enginePatch).toEqual({
      downloadLimit: 0,
      uploadLimit: 0,
    })
  })
})
