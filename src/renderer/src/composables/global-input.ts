import { onBeforeUnmount, onMounted } from 'vue'
import { t } from '../i18n'
import { useSelectionStore } from '../stores/selection'
import { useTorrentsStore } from '../stores/torrents'
import { useUiStore } from '../stores/ui'
import { findMagnet, isTorrentFile, useAddSources } from './add-sources'
import { useTorrentActions } from './torrent-actions'

/** True when typing goes into this element, so shortcuts must leave the key alone. */
export function isEditable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false
  if (el.isContentEditable) return true
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true
  if (el instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(
      el.type,
    )
  }
  return false
}

/**
 * Window-wide input: keyboard shortcuts, pasting a magnet link outside inputs, and dropping .torrent
 * files or magnet links onto the window.
 */
export function useGlobalInput(): void {
  const ui = useUiStore()
  const selection = useSelectionStore()
  const torrents = useTorrentsStore()
  const actions = useTorrentActions()
  const { addFiles } = useAddSources()
  const isMac = /Mac|iPhone|iPad/.test(navigator.platform)

  function onKeydown(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.isComposing) return
    const mod = isMac ? e.metaKey : e.ctrlKey
    const key = e.key.toLowerCase()
    if (mod && !e.shiftKey && !e.altKey && key === 'o') {
      e.preventDefault()
      if (!ui.anyDialogOpen()) ui.requestOpenFile()
      return
    }
    if (mod && !e.shiftKey && !e.altKey && key === 'u') {
      e.preventDefault()
      if (!ui.anyDialogOpen()) ui.openMagnet()
      return
    }
    if (ui.anyDialogOpen() || isEditable(e.target)) return
    const target = e.target as HTMLElement | null
    if (mod && key === 'a') {
      e.preventDefault()
      selection.selectAll(torrents.visible.map((t) => t.infoHash))
    } else if (
      (e.key === 'Delete' || (isMac && e.key === 'Backspace' && e.metaKey)) &&
      selection.count
    ) {
      e.preventDefault()
      ui.confirmRemove(selection.hashes)
    } else if (e.key === ' ' && !mod && selection.count) {
      // Space on a focused button or checkbox activates it; elsewhere it pauses or resumes.
      if (target?.closest('button, [role="tab"], [role="menuitem"], a, input, label')) return
      e.preventDefault()
      void actions.togglePause(selection.hashes)
    }
  }

  function onPaste(e: ClipboardEvent): void {
    if (isEditable(e.target) || ui.anyDialogOpen()) return
    const text = e.clipboardData?.getData('text/plain') ?? ''
    const magnet = findMagnet(text)
    if (magnet) {
      e.preventDefault()
      ui.openMagnet(magnet)
    }
  }

  function onDragOver(e: DragEvent): void {
    if (!e.dataTransfer) return
    const types = [...e.dataTransfer.types]
    if (
      types.includes('Files') ||
      types.includes('text/uri-list') ||
      types.includes('text/plain')
    ) {
      e.preventDefault()
      e.dataTransfer.dropEffect = 'copy'
    }
  }

  function onDrop(e: DragEvent): void {
    const dt = e.dataTransfer
    if (!dt) return
    e.preventDefault()
    const files = [...dt.files].filter(isTorrentFile)
    if (files.length) {
      void addFiles(files)
      return
    }
    if (dt.files.length) {
      ui.toast(t('drop.notTorrent'), 'error')
      return
    }
    const magnet = findMagnet(dt.getData('text/uri-list') || dt.getData('text/plain'))
    if (magnet && !ui.anyDialogOpen()) ui.openMagnet(magnet)
  }

  onMounted(() => {
    window.addEventListener('keydown', onKeydown)
    document.addEventListener('paste', onPaste)
    window.addEventListener('dragover', onDragOver)
    window.addEventListener('drop', onDrop)
  })
  onBeforeUnmount(() => {
    window.removeEventListener('keydown', onKeydown)
    document.removeEventListener('paste', onPaste)
    window.removeEventListener('dragover', onDragOver)
    window.removeEventListener('drop', onDrop)
  })
}
