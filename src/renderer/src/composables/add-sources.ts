import type { OpenRequest } from '@shared/desktop-api'
import { MAX_TORRENT_FILE_BYTES, MAX_TORRENT_FILE_SIZE_TEXT } from '@shared/limits'
import { getClient } from '../api'
import { t } from '../i18n'
import { bytesToBase64 } from '../lib/base64'
import { useUiStore } from '../stores/ui'

/** The first magnet link (or bare info hash) in a piece of text, or null. */
export function findMagnet(text: string): string | null {
  const m = /magnet:\?[^\s"'<>]+/i.exec(text)
  return m ? m[0] : null
}

export function isTorrentFile(file: File): boolean {
  return file.name.toLowerCase().endsWith('.torrent') || file.type === 'application/x-bittorrent'
}

function readBytes(file: Blob): Promise<Uint8Array> {
  if (typeof file.arrayBuffer === 'function')
    return file.arrayBuffer().then((b) => new Uint8Array(b))
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer))
    reader.onerror = () => reject(reader.error ?? new Error(t('sources.unknownError')))
    reader.readAsArrayBuffer(file)
  })
}

/** Reads .torrent files and queues each for the add dialog; rejects what is too large up front. */
export function useAddSources() {
  const ui = useUiStore()

  async function addFiles(files: Iterable<File>): Promise<void> {
    for (const file of files) {
      if (file.size > MAX_TORRENT_FILE_BYTES) {
        ui.toast(
          t('sources.tooLarge', { name: file.name, max: MAX_TORRENT_FILE_SIZE_TEXT }),
          'error',
        )
        continue
      }
      try {
        const bytes = await readBytes(file)
        ui.queueAdd({ source: { kind: 'file', data: bytesToBase64(bytes) }, label: file.name })
      } catch (err) {
        ui.toast(
          t('add.unreadableFile', { name: file.name, reason: (err as Error).message }),
          'error',
        )
      }
    }
  }

  function queueOpenRequest(req: OpenRequest): void {
    if (req.kind === 'magnet')
      ui.queueAdd({ source: { kind: 'magnet', uri: req.uri }, label: t('magnet.magnetLink') })
    else ui.queueAdd({ source: req.source, label: req.name })
  }

  /** The desktop's native open dialog; false where there is none (the browser uses a file input). */
  async function openWithNativeDialog(): Promise<boolean> {
    const desktop = getClient().desktop
    if (!desktop) return false
    try {
      for (const file of await desktop.openTorrentFiles())
        queueOpenRequest({ kind: 'file', ...file })
    } catch (err) {
      ui.toast(t('sources.openFailed', { reason: (err as Error).message }), 'error')
    }
    return true
  }

  /** Double-clicked .torrent files and magnet links handed over by the OS (desktop only). */
  function listenForOpenRequests(): () => void {
    return getClient().desktop?.onOpenRequest(queueOpenRequest) ?? (() => undefined)
  }

  return { addFiles, openWithNativeDialog, listenForOpenRequests }
}
