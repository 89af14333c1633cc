import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setClient } from '../api'
import { useUiStore } from '../stores/ui'
import { fakeClient, flush, settings } from '../test/fake-client'
import SettingsView from './SettingsView.vue'

let client: ReturnType<typeof fakeClient>
beforeEach(() => {
  setActivePinia(createPinia())
  client = fakeClient()
  setClient(client)
})

describe('SettingsView', () => {
  it('shows limits in KiB/s and saves them as bytes/s', async () => {
    client.getSettings.mockResolvedValue(settings({ uploadLimit: 102_400, downloadLimit: 0 }))
    const ui = useUiStore()
    ui.settingsOpen = true
    const w = mount(SettingsView)
    await flush()
    const up = w.get('[data-testid="settings-upload-limit"]').element as HTMLInputElement
    expect(up.value).toBe('100')
    await w.get('[data-testid="settings-download-limit"]').setValue('250')
    await w.get('[data-testid="settings-port"]').setValue('51413')
    await w.get('[data-testid="settings-save"]').trigger('click')
    await flush()
    expect(client.updateSettings).toHaveBeenCalledWith(
      expect.objectContaining({ downloadLimit: 256_000, uploadLimit: 102_400, port: 51413 }),
    )
    expect(ui.settingsOpen).toBe(false)
  })

  it('shows the engine error and stays open', async () => {
    client.updateSettings.mockRejectedValue(new Error('downloadDir: not an absolute path'))
    const ui = useUiStore()
    ui.settingsOpen = true
    const w = mount(SettingsView)
    await flush()
    await w.get('[data-testid="settings-download-dir"]').setValue('relative')
    await w.get('[data-testid="settings-save"]').trigger('click')
    await flush()
    expect(w.get('[data-testid="settings-error"]').text()).toBe('downloadDir: not an absolute path')
    expect(ui.settingsOpen).toBe(true)
  })

  it('rejects an invalid port before sending', async () => {
    const w = mount(SettingsView)
    await flush()
    await w.get('[data-testid="settings-port"]').setValue('99999')
    await w.get('[data-testid="settings-save"]').trigger('click')
    await flush()
    expect(w.get('[data-testid="settings-error"]').text()).toMatch(/port/)
    expect(client.updateSettings).not.toHaveBeenCalled()
  })
})
