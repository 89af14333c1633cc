import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { useUiStore } from './ui'

describe('ui store', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('keeps the sidebar folded across a reload, open by default', async () => {
    expect(useUiStore().sidebarOpen).toBe(true)
    useUiStore().sidebarOpen = false
    await nextTick()
    setActivePinia(createPinia())
    expect(useUiStore().sidebarOpen).toBe(false)
    useUiStore().sidebarOpen = true
    await nextTick()
    setActivePinia(createPinia())
    expect(useUiStore().sidebarOpen).toBe(true)
  })

  it('counts the labels dialog as an open dialog, and opens it only for a selection', () => {
    const ui = useUiStore()
    ui.openLabels([])
    expect(ui.anyDialogOpen()).toBe(false)
    ui.openLabels(['a'.repeat(40)])
    expect(ui.anyDialogOpen()).toBe(true)
    ui.closeLabels()
    expect(ui.labelsDialog).toBeNull()
  })
})
