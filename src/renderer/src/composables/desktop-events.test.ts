import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { i18n } from '../i18n'
import { useUiStore } from '../stores/ui'
import { useDesktopEvents } from './desktop-events'

describe('desktop events', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('carries out menu commands in the UI', () => {
    const ui = useUiStore()
    const events = useDesktopEvents(() => undefined)
    events.onMenuCommand('add-magnet')
    expect(ui.magnetDialog).toEqual({ initial: '' })
    events.onMenuCommand('create-torrent')
    expect(ui.createDialog).toBe(true)
    const before = ui.openFileRequest
    events.onMenuCommand('open-torrent')
    expect(ui.openFileRequest).toBe(before + 1)
  })

  it('re-fetches everything once the engine host is running again after a restart', () => {
    const refetch = vi.fn()
    const ui = useUiStore()
    const events = useDesktopEvents(refetch)
    events.onEngineStatus({ state: 'running', reason: null, restarts: 0 })
    expect(refetch).not.toHaveBeenCalled()
    events.onEngineStatus({ state: 'restarting', reason: 'killed', restarts: 1 })
    events.onEngineStatus({ state: 'running', reason: 'killed', restarts: 1 })
    expect(refetch).toHaveBeenCalledTimes(1)
    expect(ui.toasts.map((t) => [t.kind, t.message])).toEqual([
      ['error', 'The torrent engine stopped unexpectedly and was restarted.'],
    ])
  })

  it('says so in the UI’s language', () => {
    const ui = useUiStore()
    const events = useDesktopEvents(() => undefined)
    i18n.global.locale.value = 'fr'
    try {
      events.onEngineStatus({ state: 'restarting', reason: 'killed', restarts: 1 })
      events.onEngineStatus({ state: 'running', reason: 'killed', restarts: 1 })
    } finally {
      i18n.global.locale.value = 'en'
    }
    expect(ui.toasts.map((t) => t.message)).toEqual([
      'Le moteur de torrents s’est arrêté de façon inattendue et a été relancé.',
    ])
  })
})
