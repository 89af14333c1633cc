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

/** Reads .torrent files and queues each for the add dialog; rejects what is too large up front. */
export function useAddSources() {
  const ui = useUiStore()

  async function addFiles(files: Iterable<File>): Promise<void> {
    for (const file of files) {
      if (file.size > 10 * 1024 * 1024) {
        ui.toast(`${file.name}: a .torrent file is at most 10 MB.`, 'error')
        continue
      }
      try {
        const bytes = new Uint8Array(await file.arrayBuffer())
        ui.queueAdd({ source: { kind: 'file', data: bytesToBase64(bytes) }, label: file.name })
      } catch (err) {
        ui.toast(`${file.name}: ${(err as Error).message}`, 'error')
      }
    }
  }

  return { addFiles }
}
