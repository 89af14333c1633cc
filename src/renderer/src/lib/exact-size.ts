import { formatBytes } from '@shared/format'
import { currentLocale, t, tn } from '../i18n'

/**
 * Shared formatBytesExact's `1.5 MiB (1,572,864 bytes)` in the UI's language and numbers
 * (`1,5 MiB (1.572.864 Bytes)` in German); below 1 KiB the exact count alone.
 */
export function exactSize(bytes: number): string {
  const exact = tn('size.bytes', bytes)
  if (bytes < 1024) return exact
  return t('size.exact', { size: formatBytes(bytes, currentLocale()), bytes: exact })
}
