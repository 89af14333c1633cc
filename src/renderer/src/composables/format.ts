/**
 * The shared formatters bound to the UI's current locale. Each reads the locale when called, so a
 * template or computed using them re-renders when the language is switched.
 */
import {
  etaSpan,
  formatBytes,
  formatDateTime,
  formatPercent,
  formatRatio,
  formatSpeed,
} from '@shared/format'
import { currentLocale, n, t } from '../i18n'

const TWO_DIGITS = { minimumIntegerDigits: 2 }

/** `3m 05s` in English, `3:05 min` in German, `3 min 05` in French: the words are the catalogue's. */
function eta(seconds: number | null): string {
  const span = etaSpan(seconds)
  if (!span) return '∞'
  switch (span.unit) {
    case 'seconds':
      return t('eta.seconds', { s: n(span.value) })
    case 'minutes':
      return t('eta.minutes', { m: n(span.value), s: n(span.rest, TWO_DIGITS) })
    case 'hours':
      return t('eta.hours', { h: n(span.value), m: n(span.rest, TWO_DIGITS) })
    case 'days':
      return t('eta.days', { d: n(span.value), h: n(span.rest) })
    case 'overYear':
      return t('eta.overYear')
  }
}

export function useFormat() {
  return {
    bytes: (n: number): string => formatBytes(n, currentLocale()),
    speed: (n: number): string => formatSpeed(n, currentLocale()),
    dateTime: (iso: string | null | undefined): string => formatDateTime(iso, currentLocale()),
    percent: (fraction: number): string => formatPercent(fraction, currentLocale()),
    ratio: (ratio: number): string => formatRatio(ratio, currentLocale()),
    eta,
  }
}
