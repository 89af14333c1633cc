/** The engine's settings: defaults, the first start's port, and what the backend's client takes. */
import { randomInt } from 'node:crypto'
import type { Settings, SettingsPatch } from '@shared/api'
import { MAX_PORT } from '@shared/limits'
import { SettingsSchema } from '@shared/schema'
import type { ClientSettings } from './backend/types'

export const defaultSettings = (downloadDir: string): Settings => ({
  downloadDir,
  port: 0,
  downloadLimit: 0,
  uploadLimit: 0,
  maxConnections: 200,
  maxConnectionsPerTorrent: 55,
  dht: true,
  pex: true,
  lsd: true,
  natTraversal: true,
  encryption: 'prefer',
})

/** Settings the backend only reads when a client starts: changing one restarts it. */
export const clientLevelKeys = [
  'port',
  'dht',
  'lsd',
  'pex',
  'natTraversal',
  'encryption',
  'maxConnectionsPerTorrent',
] as const satisfies ReadonlyArray<keyof Settings>

/** A port from the dynamic range (49152-65535), where no registered service lives. */
function randomListenPort(): number {
  return 49152 + randomInt(MAX_PORT - 49152 + 1)
}

/** The settings a run starts with: defaults, then the saved ones, then this run's overrides. */
export function initialSettings(
  saved: unknown,
  defaultDownloadDir: string,
  overrides: SettingsPatch,
): Settings {
  const parsed = SettingsSchema.partial().parse(saved)
  // A fixed listening port, picked once and kept, lets users forward it in their router.
  const firstPort = parsed.port === undefined ? { port: randomListenPort() } : {}
  const base = { ...defaultSettings(defaultDownloadDir), ...firstPort, ...parsed }
  return SettingsSchema.parse({ ...base, ...overrides })
}

export function clientSettings(settings: Settings, port = settings.port): ClientSettings {
  return {
    port,
    dht: settings.dht,
    lsd: settings.lsd,
    pex: settings.pex,
    natTraversal: settings.natTraversal,
    encryption: settings.encryption,
    downloadLimit: settings.downloadLimit,
    uploadLimit: settings.uploadLimit,
    maxConnectionsPerTorrent: settings.maxConnectionsPerTorrent,
  }
}
