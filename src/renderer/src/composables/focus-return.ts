import { onBeforeUnmount } from 'vue'
import type { Ref } from 'vue'

interface Open {
  root: Ref<HTMLElement | null>
  opener: HTMLElement | null
  /** A menu closes as its item runs, so a dialog that item opens should return focus past it. */
  transient: boolean
}
const open: Open[] = []

/**
 * Returns focus, when the calling dialog or menu unmounts, to the element that had it when it opened
 * (a list row, a toolbar button); otherwise closing drops focus to <body> and keyboard users lose
 * their place. Call it in setup, before the component moves focus into itself.
 */
export function useFocusReturn(root: Ref<HTMLElement | null>, transient = false): void {
  let opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
  // Opened from a menu item: the menu is about to go, so the menu's own opener is the place to return.
  for (const o of [...open].reverse()) {
    if (o.transient && opener && o.root.value?.contains(opener)) opener = o.opener
  }
  if (opener === document.body) opener = null
  const entry: Open = { root, opener, transient }
  open.push(entry)

  onBeforeUnmount(() => {
    open.splice(open.indexOf(entry), 1)
    const active = document.activeElement
    // Only when focus is ours to give back: inside this component, or already lost to <body>.
    const ours = !active || active === document.body || !!root.value?.contains(active)
    if (ours && opener?.isConnected) opener.focus()
  })
}
