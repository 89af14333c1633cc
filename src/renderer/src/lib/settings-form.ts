import type { EncryptionPolicy, Settings, SettingsPatch } from '@shared/api'
import { MAX_PORT } from '@shared/limits'
import { bytesToKibPerSecond, kibToBytesPerSecond } from '@shared/format'

/** The settings as the form edits them: speed limits in KiB/s (0 = unlimited). */
export interface SettingsForm {
  downloadDir: string
  port: number
  downloadLimitKib: number
  uploadLimitKib: number
  maxConnections: number
  maxConnectionsPerTorrent: number
  dht: boolean
  pex: boolean
  lsd: boolean
  natTraversal: boolean
  encryption: EncryptionPolicy
}

export function settingsToForm(s: Settings): SettingsForm {
  return {
    downloadDir: s.downloadDir,
    port: s.port,
    downloadLimitKib: bytesToKibPerSecond(s.downloadLimit),
    uploadLimitKib: bytesToKibPerSecond(s.uploadLimit),
    maxConnections: s.maxConnections,
    maxConnectionsPerTorrent: s.maxConnectionsPerTorrent,
    dht: s.dht,
    pex: s.pex,
    lsd: s.lsd,
    natTraversal: s.natTraversal,
    encryption: s.encryption,
  }
}

/** The full patch the form describes, limits converted to bytes/s. */
export function formToPatch(f: SettingsForm): SettingsPatch {
  return {
    downloadDir: f.downloadDir.trim(),
    port: Math.trunc(Number(f.port)),
    downloadLimit: kibToBytesPerSecond(Number(f.downloadLimitKib)),
    uploadLimit: kibToBytesPerSecond(Number(f.uploadLimitKib)),
    maxConnections: Math.trunc(Number(f.maxConnections)),
    maxConnectionsPerTorrent: Math.trunc(Number(f.maxConnectionsPerTorrent)),
    dht: f.dht,
    pex: f.pex,
    lsd: f.lsd,
    natTraversal: f.natTraversal,
    encryption: f.encryption,
  }
}

/** A message for the first invalid field, or null; the engine checks again. */
export function validateForm(f: SettingsForm): string | null {
  if (!f.downloadDir.trim()) return 'The download folder is required.'
  const port = Number(f.port)
  if (!Number.isInteger(port) || port < 0 || port > MAX_PORT)
    return `The port is a number from 0 to ${MAX_PORT}.`
  for (const [v, what] of [
    [f.downloadLimitKib, 'download limit'],
    [f.uploadLimitKib, 'upload limit'],
  ] as const) {
    if (!Number.isFinite(Number(v)) || Number(v) < 0)
      return `The ${what} is 0 (unlimited) or more KiB/s.`
  }
  for (const [v, what] of [
    [f.maxConnections, 'connection limit'],
    [f.maxConnectionsPerTorrent, 'per-torrent connection limit'],
  ] as const) {
    const n = Number(v)
    if (!Number.isInteger(n) || n < 1 || n > 10_000)
      return `The ${what} is a number from 1 to 10000.`
  }
  return null
}
