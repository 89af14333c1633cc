import { base64ToBytes } from './base64'

/**
 * Offers bytes as a file: a download in a browser; in the desktop window Electron's default download
 * handling asks where to save it. The object URL is revoked once the click has started the download.
 */
export function saveBytes(base64: string, fileName: string, type: string): void {
  const blob = new Blob([base64ToBytes(base64) as Uint8Array<ArrayBuffer>], { type })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.hidden = true
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A file name for a torrent's name: no path separators or control characters, never empty. */
export function torrentFileName(name: string): string {
  // Control characters are what this removes.
  // eslint-disable-next-line no-control-regex
  const unsafe = /[\u0000-\u001f\u007f/\\:*?"<>|]+/g
  const safe = name.replace(unsafe, '_').trim().slice(0, 200)
  return `${safe || 'torrent'}.torrent`
}
