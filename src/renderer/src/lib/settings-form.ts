import type { EncryptionPolicy, Settings, SettingsPatch } from '@shared/api'
import { MAX_PORT } from '@shared/limits'
import { bytesToKibPerSecond, kibToBytesPerSecond } from '@shared/format'
import type { Translate } from '../i18n'

const MAX_CONNECTIONS = 10_000

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
export function validateForm(f: SettingsForm, t: Translate): string | null {
  if (!f.downloadDir.trim()) return t('settings.invalidDir')
  const port = Number(f.port)
  if (!Number.isInteger(port) || port < 0 || port > MAX_PORT)
    return t('settings.invalidPort', { max: MAX_PORT })
  if (!isLimit(f.downloadLimitKib)) return t('settings.invalidDownloadLimit')
  if (!isLimit(f.uploadLimitKib)) return t('settings.invalidUploadLimit')
  if (!isConnections(f.maxConnections))
    return t('settings.invalidConnections', { max: MAX_CONNECTIONS })
  if (!isConnections(f.maxConnectionsPerTorrent))
    return t('settings.invalidPerTorrent', { max: MAX_CONNECTIONS })
  return null
}

const isLimit = (v: number): boolean => Number.isFinite(Number(v)) && Number(v) >= 0

function isConnections(v: number): boolean {
  const n = Number(v)
  return Number.isInteger(n) && n >= 1 && n <= MAX_CONNECTIONS
}
