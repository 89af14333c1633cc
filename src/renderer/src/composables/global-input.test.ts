import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defineComponent } from 'vue'
import { setClient } from '../api'
import { i18n } from '../i18n'
import { useUiStore } from '../stores/ui'
import { fakeClient } from '../test/fake-client'
import { useGlobalInput } from './global-input'

beforeEach(() => {
  setActivePinia(createPinia())
  setClient(fakeClient())
})
afterEach(() => {
  i18n.global.locale.value = 'en'
})

/** A drop onto the window carrying `files` and no text. */
function drop(files: File[]): void {
  const event = new Event('drop', { cancelable: true })
  Object.defineProperty(event, 'dataTransfer', { value: { files, getData: () => '' } })
  window.dispatchEvent(event)
}

describe('global input', () => {
  it('refuses dropped files that are not .torrent files, in the UI’s language', () => {
    const w = mount(defineComponent({ setup: () => useGlobalInput(), render: () => null }))
    drop([new File(['x'], 'notes.txt')])
    i18n.global.locale.value = 'de'
    drop([new File(['x'], 'notes.txt')])
    w.unmount()
    expect(useUiStore().toasts.map((t) => t.message)).toEqual([
      'Only .torrent files can be dropped here.',
      'Hier lassen sich nur .torrent-Dateien ablegen.',
    ])
  })
})
