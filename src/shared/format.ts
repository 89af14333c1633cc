/**
 * Human-readable values shared by the CLI and the renderer (so no Node imports here): sizes,
 * speeds, times, ratios, percentages, dates and names from torrents.
 * Sizes use binary units (KiB, MiB, …), as file managers on Linux and torrent clients do.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB']

/**
 * `0 B`, `512 B`, `1.5 KiB`, `12.3 MiB`, `123 GiB`: three significant digits at most. With a
 * `locale` (a BCP 47 tag) the number is written that locale's way (`1,5 MiB` in German); without
 * one it stays as above, which the CLI relies on.
 */
export function formatBytes(bytes: number, locale?: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?'
  let unit = 0
  let n = bytes
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024
    unit++
  }
  if (unit === 0) return `${number(bytes, 0, locale)} B`
  // Round first, so 1023.96 KiB becomes 1.00 MiB rather than "1024 KiB".
  let shown = n >= 100 ? Math.round(n) : n >= 10 ? round(n, 1) : round(n, 2)
  if (shown >= 1024 && unit < UNITS.length - 1) {
    shown = 1
    unit++
  }
  const digits = shown >= 100 ? 0 : shown >= 10 ? 1 : 2
  return `${number(shown, digits, locale)} ${UNITS[unit]}`
}

/** At most `digits` decimals, trailing zeros dropped; grouped only when written for a locale. */
function number(n: number, digits: number, locale: string | undefined): string {
  if (!locale) return trimZeros(n.toFixed(digits))
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n)
}

/** `1.5 MiB (1,572,864 bytes)`: the readable size with the exact count beside it. */
export function formatBytesExact(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} ${bytes === 1 ? 'byte' : 'bytes'}`
  return bytes < 1024 ? exact : `${formatBytes(bytes)} (${exact})`
}

export function formatSpeed(bytesPerSecond: number, locale?: string): string {
  return `${formatBytes(Math.round(bytesPerSecond), locale)}/s`
}

/**
 * How long until done, as its largest unit and the next one below it (`3` minutes and `5` seconds),
 * so each language can word it; `null` when unknown (null, infinite or negative).
 */
export type EtaSpan =
  | { unit: 'seconds'; value: number }
  | { unit: 'minutes' | 'hours' | 'days'; value: number; rest: number }
  | { unit: 'overYear' }

export function etaSpan(seconds: number | null): EtaSpan | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null
  const s = Math.round(seconds)
  if (s < 60) return { unit: 'seconds', value: s }
  const m = Math.floor(s / 60)
  if (m < 60) return { unit: 'minutes', value: m, rest: s % 60 }
  const h = Math.floor(m / 60)
  if (h < 24) return { unit: 'hours', value: h, rest: m % 60 }
  const d = Math.floor(h / 24)
  return d < 365 ? { unit: 'days', value: d, rest: h % 24 } : { unit: 'overYear' }
}

/** `45s`, `3m 05s`, `2h 05m`, `3d 4h`, `> 1y`; `∞` when unknown. English: the renderer words its own. */
export function formatEta(seconds: number | null): string {
  const span = etaSpan(seconds)
  if (!span) return '∞'
  switch (span.unit) {
    case 'seconds':
      return `${span.value}s`
    case 'minutes':
      return `${span.value}m ${pad(span.rest)}s`
    case 'hours':
      return `${span.value}h ${pad(span.rest)}m`
    case 'days':
      return `${span.value}d ${span.rest}h`
    case 'overYear':
      return '> 1y'
  }
}

// C0 and C1 controls, and the invisible text-direction controls that can disguise a name.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g

/**
 * Text from a torrent made safe to show on one line: control and direction characters appear as
 * `\u202e` escapes, so they can neither break a terminal or layout nor hide what a name says.
 */
export function escapeInvisible(s: string): string {
  return s.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * `0.00`, `1.25`, `∞` for an infinite ratio; with a `locale` written that locale's way (`1,25` in
 * German).
 */
export function formatRatio(ratio: number, locale?: string): string {
  if (!Number.isFinite(ratio)) return ratio > 0 ? '∞' : '?'
  if (!locale) return ratio.toFixed(2)
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(ratio)
}

/**
 * 0..1 as `42.5%`; exactly `100%` only when complete, so 99.96% never shows as done. With a `locale`
 * written that locale's way (`42,5 %` in German and French).
 */
export function formatPercent(fraction: number, locale?: string): string {
  if (!Number.isFinite(fraction)) return '?'
  const p = Math.max(0, Math.min(1, fraction)) * 100
  const shown = p >= 100 ? 100 : Math.min(99.9, Math.floor(p * 10) / 10)
  const digits = shown === 100 ? 0 : 1
  if (!locale) return `${shown.toFixed(digits)}%`
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(shown / 100)
}

/**
 * An ISO date as `2024-05-01 13:45` in local time, or with a `locale` as that locale writes a date
 * and time (`01.05.24, 13:45` in German); `—` when absent or invalid.
 */
export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  if (locale) return new Intl.DateTimeFormat(locale, DATE_TIME).format(d)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** Speed limits are KiB/s in the UI and bytes/s in the API; 0 means unlimited in both. */
export function kibToBytesPerSecond(kib: number): number {
  if (!Number.isFinite(kib) || kib <= 0) return 0
  return Math.round(kib * 1024)
}

export function bytesToKibPerSecond(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes <= 0) return 0
  return Math.round((bytes / 1024) * 100) / 100
}

// Short, so the torrent list's Added column fits it.
const DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'short', timeStyle: 'short' }
const pad = (n: number): string => String(n).padStart(2, '0')
const round = (n: number, places: number): number => Math.round(n * 10 ** places) / 10 ** places
const trimZeros = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s)
