import { describe, expect, it } from 'vitest'
import { desktopMethods } from '@shared/desktop-api'
import { FakeEngine, MemorySettings } from './controller-stand-ins'
import { desktopHandlers } from './desktop-handlers'
import { DesktopSettingsController } from './desktop-settings-controller'
import type { DialogsController } from './dialogs-controller'

function setup() {
  const store = new MemorySettings()
  const settings = new DesktopSettingsController({
    store,
    engine: new FakeEngine(),
    setStartOnLogin: async () => undefined,
    onChange: () => undefined,
  })
  const dialogs = {
    pickTorrentFiles: async () => [
      { kind: 'file', name: 'a.torrent', source: { kind: 'file', data: 'ZA==' } },
    ],
  } as unknown as DialogsController<unknown>
  return { store, handlers: desktopHandlers(dialogs, settings) }
}

const sender = {} as Electron.WebContents

describe('desktopHandlers', () => {
  it('has a handler for every method of the desktop contract', () => {
    expect(Object.keys(setup().handlers).sort()).toEqual(Object.keys(desktopMethods).sort())
  })

  it('returns picked files as name and source only', async () => {
    const { handlers } = setup()
    expect(await handlers.openTorrentFiles(undefined, sender)).toEqual([
      { name: 'a.torrent', source: { kind: 'file', data: 'ZA==' } },
    ])
  })

  it('checks a settings patch from the renderer before applying it', async () => {
    const { handlers, store } = setup()
    await expect(handlers.updateDesktopSettings({ closeToTray: 'yes' }, sender)).rejects.toThrow()
    await expect(handlers.updateDesktopSettings({ window: { x: 0 } }, sender)).rejects.toThrow()
    expect(store.writes).toBe(0)
    await handlers.updateDesktopSettings({ closeToTray: false }, sender)
    expect(await handlers.getDesktopSettings(undefined, sender)).toMatchObject({
      closeToTray: false,
    })
  })
})
