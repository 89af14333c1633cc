/**
 * The shared formatters bound to the UI's current locale. Each reads the locale when called, so a
 * template or computed using them re-renders when the language is switched.
 */
import { formatBytes, formatDateTime, formatSpeed } from '@shared/format'
import { currentLocale } from '../i18n'

export function useFormat() {
  return {
    bytes: (n: number): string => formatBytes(n, currentLocale()),
    speed: (n: number): string => formatSpeed(n, currentLocale()),
    dateTime: (iso: string | null | undefined): string => formatDateTime(iso, currentLocale()),
  }
}
