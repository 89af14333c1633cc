import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { defineComponent, h, ref } from 'vue'
import { setClient } from '../api'
import { useSelectionStore } from '../stores/selection'
import { useTorrentsStore } from '../stores/torrents'
import { fakeClient, flush, summary } from '../test/fake-client'
import ContextMenu from '../components/ContextMenu.vue'
import ModalDialog from '../components/ModalDialog.vue'

beforeEach(() => {
  setActivePinia(createPinia())
  setClient(fakeClient())
  document.body.innerHTML = ''
})

/** A focusable "row" standing in for the torrent list row that opened the dialog or menu. */
function opener(): HTMLElement {
  const row = document.createElement('div')
  row.tabIndex = 0
  row.dataset['testid'] = 'row'
  document.body.append(row)
  row.focus()
  expect(document.activeElement).toBe(row)
  return row
}

describe('focus return', () => {
  it('a dialog gives focus back to the element that had it when it opened', async () => {
    const row = opener()
    const w = mount(ModalDialog, {
      props: { title: 'Test' },
      slots: { default: () => h('button', { 'data-autofocus': '' }, 'OK') },
      attachTo: document.body,
    })
    await flush()
    expect(document.activeElement?.textContent).toBe('OK')
    w.unmount()
    expect(document.activeElement).toBe(row)
  })

  it('a dialog leaves focus alone if it was moved elsewhere meanwhile', async () => {
    opener()
    const other = document.createElement('button')
    document.body.append(other)
    const w = mount(ModalDialog, { props: { title: 'Test' }, attachTo: document.body })
    await flush()
    other.focus()
    w.unmount()
    expect(document.activeElement).toBe(other)
  })

  it('the context menu gives focus back to the row, also when Escape closes it', async () => {
    const t = summary()
    useTorrentsStore().replaceAll([t])
    useSelectionStore().selectOnly(t.infoHash)
    const row = opener()
    const open = ref(true)
    const Host = defineComponent(
      () => () =>
        open.value ? h(ContextMenu, { x: 0, y: 0, onClose: () => (open.value = false) }) : null,
    )
    mount(Host, { attachTo: document.body })
    await flush()
    expect(document.activeElement?.getAttribute('role')).toBe('menuitem')
    document.activeElement!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
    )
    await flush()
    expect(open.value).toBe(false)
    expect(document.activeElement).toBe(row)
  })

  it('a dialog opened from a menu item returns focus past the menu to the row', async () => {
    const t = summary()
    useTorrentsStore().replaceAll([t])
    useSelectionStore().selectOnly(t.infoHash)
    const row = opener()
    const menuOpen = ref(true)
    const dialogOpen = ref(false)
    const Host = defineComponent(() => () => [
      menuOpen.value
        ? h(ContextMenu, { x: 0, y: 0, onClose: () => (menuOpen.value = false) })
        : null,
      dialogOpen.value ? h(ModalDialog, { title: 'Remove?' }) : null,
    ])
    mount(Host, { attachTo: document.body })
    await flush()
    // As "Remove…" does: the menu closes and a dialog opens in the same tick.
    dialogOpen.value = true
    menuOpen.value = false
    await flush()
    dialogOpen.value = false
    await flush()
    expect(document.activeElement).toBe(row)
  })
})
