import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useSelectionStore } from './selection'

beforeEach(() => setActivePinia(createPinia()))
const order = ['a', 'b', 'c', 'd', 'e', 'f']
const sel = (s: ReturnType<typeof useSelectionStore>): string[] => [...s.selected].sort()

describe('selection store', () => {
  it('click selects one, ctrl-click toggles, shift-click selects a range from the anchor', () => {
    const s = useSelectionStore()
    s.click('b', order)
    expect(sel(s)).toEqual(['b'])
    expect(s.focused).toBe('b')
    s.click('d', order, { toggle: true })
    expect(sel(s)).toEqual(['b', 'd'])
    s.click('b', order, { toggle: true })
    expect(sel(s)).toEqual(['d'])
    // The anchor is now b (the last ctrl-click); shift-click e selects b..e.
    s.click('e', order, { shift: true })
    expect(sel(s)).toEqual(['b', 'c', 'd', 'e'])
    // Shift-click again re-ranges from the same anchor, upward too.
    s.click('a', order, { shift: true })
    expect(sel(s)).toEqual(['a', 'b'])
    expect(s.focused).toBe('a')
  })

  it('ctrl+shift-click adds a range to the selection', () => {
    const s = useSelectionStore()
    s.click('a', order)
    s.click('e', order, { toggle: true })
    s.click('f', order, { shift: true, toggle: true })
    expect(sel(s)).toEqual(['a', 'e', 'f'])
  })

  it('ranges follow the order shown, not insertion order', () => {
    const s = useSelectionStore()
    const shown = ['f', 'a', 'c', 'b']
    s.click('a', shown)
    s.click('b', shown, { shift: true })
    expect(sel(s)).toEqual(['a', 'b', 'c'])
  })

  it('selects all, clears, and prunes torrents that disappeared', () => {
    const s = useSelectionStore()
    s.selectAll(order)
    expect(s.count).toBe(6)
    s.click('c', order, { toggle: true })
    s.click('c', order, { toggle: true })
    expect(s.focused).toBe('c')
    s.prune((h) => h !== 'c' && h !== 'd')
    expect(sel(s)).toEqual(['a', 'b', 'e', 'f'])
    expect(s.focused).not.toBe('c')
    s.clear()
    expect(s.count).toBe(0)
    expect(s.focused).toBeNull()
  })
})
