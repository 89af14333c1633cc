import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import FileTree from './FileTree.vue'

const files = [
  { index: 0, path: 'a/x/1.txt', length: 1 },
  { index: 1, path: 'a/x/2.txt', length: 2 },
  { index: 2, path: 'a/3.txt', length: 3 },
]

describe('FileTree', () => {
  it('shows folders as checked, unchecked or mixed (indeterminate)', async () => {
    const w = mount(FileTree, { props: { files, selected: new Set([0, 2]) } })
    const [a, x] = w.findAll('[data-testid="folder-checkbox"]')
    expect(a!.attributes('data-state')).toBe('mixed')
    expect((a!.element as HTMLInputElement).indeterminate).toBe(true)
    expect(a!.attributes('aria-checked')).toBe('mixed')
    expect(x!.attributes('data-state')).toBe('mixed')
    await w.setProps({ selected: new Set([0, 1, 2]) })
    expect((a!.element as HTMLInputElement).indeterminate).toBe(false)
    expect((a!.element as HTMLInputElement).checked).toBe(true)
    await w.setProps({ selected: new Set<number>() })
    expect((a!.element as HTMLInputElement).checked).toBe(false)
    expect(a!.attributes('data-state')).toBe('unchecked')
  })

  it('a folder checkbox toggles its whole subtree; a mixed folder turns all on', async () => {
    const w = mount(FileTree, { props: { files, selected: new Set([0]) } })
    const x = w.findAll('[data-testid="folder-checkbox"]')[1]!
    await x.trigger('change')
    const next = w.emitted<[Set<number>]>('change')![0]![0]
    expect([...next].sort()).toEqual([0, 1])
    await w.setProps({ selected: next })
    await x.trigger('change')
    const second = w.emitted<[Set<number>]>('change')![1]![0]
    expect([...second]).toEqual([])
  })

  it('collapses a folder', async () => {
    const w = mount(FileTree, { props: { files, selected: new Set<number>() } })
    expect(w.findAll('[data-testid="file-row"]')).toHaveLength(5)
    await w.get('button[aria-label="Collapse x"]').trigger('click')
    expect(w.findAll('[data-testid="file-row"]')).toHaveLength(3)
  })

  it('is a list of checkboxes, not a tree widget without tree keys, and says which folders are open', async () => {
    const w = mount(FileTree, { props: { files, selected: new Set([0]) } })
    expect(w.find('[role="tree"], [role="treeitem"], [aria-selected]').exists()).toBe(false)
    const twisty = w.get('button[aria-label="Collapse x"]')
    expect(twisty.attributes('aria-expanded')).toBe('true')
    await twisty.trigger('click')
    expect(w.get('button[aria-label="Expand x"]').attributes('aria-expanded')).toBe('false')
  })

  it('shows progress when asked', () => {
    const w = mount(FileTree, {
      props: {
        files: files.map((f) => ({ ...f, progress: 1 })),
        selected: new Set<number>(),
        showProgress: true,
      },
    })
    expect(w.text()).toContain('100%')
  })
})
