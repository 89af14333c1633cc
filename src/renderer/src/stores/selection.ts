import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { InfoHash } from '@shared/api'

/**
 * Which torrents are selected in the list. Ranges are computed against the order the list shows,
 * which the caller passes in, so sorting and filtering never confuse shift-click.
 */
export const useSelectionStore = defineStore('selection', () => {
  const selected = ref(new Set<InfoHash>())
  /** Where a shift-click range starts. */
  const anchor = ref<InfoHash | null>(null)
  /** The torrent last clicked: the one the details pane shows. */
  const focused = ref<InfoHash | null>(null)

  const count = computed(() => selected.value.size)
  const hashes = computed(() => [...selected.value])

  function isSelected(h: InfoHash): boolean {
    return selected.value.has(h)
  }

  /** A plain click: only this one. */
  function selectOnly(h: InfoHash): void {
    selected.value = new Set([h])
    anchor.value = h
    focused.value = h
  }

  /** Ctrl/Cmd-click: flip this one, keep the rest. */
  function toggle(h: InfoHash): void {
    const next = new Set(selected.value)
    if (next.has(h)) next.delete(h)
    else next.add(h)
    selected.value = next
    anchor.value = h
    focused.value = next.has(h) ? h : (next.values().next().value ?? null)
  }

  /** Shift-click: everything between the anchor and this one in the shown order (added with Ctrl). */
  function selectRange(h: InfoHash, order: readonly InfoHash[], additive = false): void {
    const from = anchor.value === null ? -1 : order.indexOf(anchor.value)
    const to = order.indexOf(h)
    if (to < 0) return
    if (from < 0) return selectOnly(h)
    const [lo, hi] = from <= to ? [from, to] : [to, from]
    const next = additive ? new Set(selected.value) : new Set<InfoHash>()
    for (let i = lo; i <= hi; i++) next.add(order[i]!)
    selected.value = next
    focused.value = h
  }

  /** Dispatches a click by its modifier keys. */
  function click(
    h: InfoHash,
    order: readonly InfoHash[],
    mods: { shift?: boolean; toggle?: boolean } = {},
  ): void {
    if (mods.shift) selectRange(h, order, mods.toggle)
    else if (mods.toggle) toggle(h)
    else selectOnly(h)
  }

  function selectAll(order: readonly InfoHash[]): void {
    selected.value = new Set(order)
    if (order.length && (focused.value === null || !selected.value.has(focused.value))) {
      focused.value = order[0]!
      anchor.value = order[0]!
    }
  }

  function clear(): void {
    selected.value = new Set()
    anchor.value = null
    focused.value = null
  }

  /** Drops torrents that no longer exist. */
  function prune(exists: (h: InfoHash) => boolean): void {
    let changed = false
    const next = new Set<InfoHash>()
    for (const h of selected.value) {
      if (exists(h)) next.add(h)
      else changed = true
    }
    if (changed) selected.value = next
    if (focused.value !== null && !exists(focused.value))
      focused.value = next.values().next().value ?? null
    if (anchor.value !== null && !exists(anchor.value)) anchor.value = focused.value
  }

  return {
    selected,
    anchor,
    focused,
    count,
    hashes,
    isSelected,
    selectOnly,
    toggle,
    selectRange,
    click,
    selectAll,
    clear,
    prune,
  }
})
