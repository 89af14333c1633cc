import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import type { InfoHash, TorrentSource } from '@shared/api'

export interface Toast {
  id: number
  kind: 'info' | 'error'
  message: string
}

/** A source waiting for the add dialog, with a label for where it came from (a file name). */
export interface PendingAdd {
  id: number
  source: TorrentSource
  label: string
}

export type DetailsTab = 'general' | 'files' | 'peers' | 'trackers' | 'pieces'

const SIDEBAR_KEY = 'seedling.sidebar'

function readSidebarOpen(): boolean {
  try {
    return globalThis.localStorage?.getItem(SIDEBAR_KEY) !== 'closed'
  } catch {
    return true
  }
}

/** Dialogs, the add queue, the details tab and toasts: UI state no engine data lives in. */
export const useUiStore = defineStore('ui', () => {
  const addQueue = ref<PendingAdd[]>([])
  const magnetDialog = ref<{ initial: string } | null>(null)
  const createDialog = ref(false)
  const settingsOpen = ref(false)
  const removeConfirm = ref<{ infoHashes: InfoHash[] } | null>(null)
  const labelsDialog = ref<{ infoHashes: InfoHash[] } | null>(null)
  const detailsTab = ref<DetailsTab>('general')
  const toasts = ref<Toast[]>([])
  /** Bumped to ask the toolbar's hidden file input to open (Ctrl/Cmd+O). */
  const openFileRequest = ref(0)
  /** Bumped to move focus into the details pane (Enter on a torrent in the list). */
  const detailsFocusRequest = ref(0)
  /** The filter sidebar, collapsible for a denser list; the choice outlives a reload. */
  const sidebarOpen = ref(readSidebarOpen())
  watch(sidebarOpen, (open) => {
    try {
      globalThis.localStorage?.setItem(SIDEBAR_KEY, open ? 'open' : 'closed')
    } catch {
      // Storage refused (private mode, quota): the choice lasts this page only.
    }
  })
  let nextToast = 1

  let nextAdd = 1
  function queueAdd(...items: Omit<PendingAdd, 'id'>[]): void {
    addQueue.value = [...addQueue.value, ...items.map((i) => ({ ...i, id: nextAdd++ }))]
  }
  function finishAdd(): void {
    addQueue.value = addQueue.value.slice(1)
  }
  function openMagnet(initial = ''): void {
    magnetDialog.value = { initial }
  }
  function closeMagnet(): void {
    magnetDialog.value = null
  }
  function confirmRemove(infoHashes: InfoHash[]): void {
    if (infoHashes.length) removeConfirm.value = { infoHashes }
  }
  function closeRemove(): void {
    removeConfirm.value = null
  }
  function openLabels(infoHashes: InfoHash[]): void {
    if (infoHashes.length) labelsDialog.value = { infoHashes }
  }
  function closeLabels(): void {
    labelsDialog.value = null
  }
  function requestOpenFile(): void {
    openFileRequest.value++
  }
  function requestDetailsFocus(): void {
    detailsFocusRequest.value++
  }

  function anyDialogOpen(): boolean {
    return (
      addQueue.value.length > 0 ||
      magnetDialog.value !== null ||
      createDialog.value ||
      settingsOpen.value ||
      removeConfirm.value !== null ||
      labelsDialog.value !== null
    )
  }

  function toast(message: string, kind: Toast['kind'] = 'info', timeoutMs = 5000): number {
    const id = nextToast++
    toasts.value = [...toasts.value, { id, kind, message }]
    if (timeoutMs > 0) setTimeout(() => dismiss(id), timeoutMs)
    return id
  }
  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id)
  }

  return {
    addQueue,
    magnetDialog,
    createDialog,
    settingsOpen,
    removeConfirm,
    labelsDialog,
    detailsTab,
    toasts,
    openFileRequest,
    detailsFocusRequest,
    sidebarOpen,
    queueAdd,
    finishAdd,
    openMagnet,
    closeMagnet,
    confirmRemove,
    closeRemove,
    openLabels,
    closeLabels,
    requestOpenFile,
    requestDetailsFocus,
    anyDialogOpen,
    toast,
    dismiss,
  }
})
