import { describe, expect, it } from 'vitest'
import {
  bytesToKibPerSecond,
  escapeInvisible,
  formatBytes,
  formatBytesExact,
  formatDateTime,
  etaSpan,
  formatEta,
  formatPercent,
  formatRatio,
  formatSpeed,
  kibToBytesPerSecond,
} from './format'

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [1024 * 1.234, '1.23 KiB'],
    [1024 * 12.34, '12.3 KiB'],
    [1024 * 123.4, '123 KiB'],
    [1024 * 1023.7, '1 MiB'],
    [1.5 * 1024 ** 2, '1.5 MiB'],
    [1024 ** 3, '1 GiB'],
    [4.7 * 1024 ** 3, '4.7 GiB'],
    [2 * 1024 ** 4, '2 TiB'],
    [Number.MAX_SAFE_INTEGER, '8 PiB'],
  ])('%d → %s', (n, s) => expect(formatBytes(n)).toBe(s))

  it('shows ? for nonsense', () => {
    expect(formatBytes(-1)).toBe('?')
    expect(formatBytes(Number.NaN)).toBe('?')
  })
})

describe('formatBytesExact', () => {
  it('adds the exact count with thousands separators', () => {
    expect(formatBytesExact(1)).toBe('1 byte')
    expect(formatBytesExact(500)).toBe('500 bytes')
    expect(formatBytesExact(1_572_864)).toBe('1.5 MiB (1,572,864 bytes)')
  })
})

describe('formatSpeed', () => {
  it('is bytes per second', () => {
    expect(formatSpeed(0)).toBe('0 B/s')
    expect(formatSpeed(2.5 * 1024 * 1024)).toBe('2.5 MiB/s')
    expect(formatSpeed(100.4)).toBe('100 B/s')
  })
})

describe('formatEta', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [59.6, '1m 00s'],
    [185, '3m 05s'],
    [3600, '1h 00m'],
    [2 * 3600 + 5 * 60 + 30, '2h 05m'],
    [3 * 86400 + 4 * 3600, '3d 4h'],
    [400 * 86400, '> 1y'],
  ])('%d s → %s', (n, s) => expect(formatEta(n)).toBe(s))

  it('is ∞ when unknown', () => {
    expect(formatEta(null)).toBe('∞')
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('∞')
    expect(formatEta(-5)).toBe('∞')
    expect(etaSpan(null)).toBeNull()
  })

  it('splits into the largest unit and the one below, for other languages to word', () => {
    expect(etaSpan(45)).toEqual({ unit: 'seconds', value: 45 })
    expect(etaSpan(185)).toEqual({ unit: 'minutes', value: 3, rest: 5 })
    expect(etaSpan(3 * 86400 + 4 * 3600 + 59)).toEqual({ unit: 'days', value: 3, rest: 4 })
    expect(etaSpan(365 * 86400)).toEqual({ unit: 'overYear' })
  })
})

describe('escapeInvisible', () => {
  it('shows control and direction characters as escapes', () => {
    expect(escapeInvisible('photo\u202egpj.exe')).toBe('photo\\u202egpj.exe')
    expect(escapeInvisible('a\nb\tc\u0000\u007f\u0085\u2066\u200f\u061c')).toBe(
      'a\\u000ab\\u0009c\\u0000\\u007f\\u0085\\u2066\\u200f\\u061c',
    )
  })

  it('leaves ordinary text, including non-Latin scripts and emoji, alone', () => {
    for (const s of ['Ünïcødé 名前', 'עברית', '😀 ok', 'tab-free'])
      expect(escapeInvisible(s)).toBe(s)
  })
})

describe('ratios, percentages, dates and speed-limit units', () => {
  it('formats ratios', () => {
    expect(formatRatio(0)).toBe('0.00')
    expect(formatRatio(1.256)).toBe('1.26')
    expect(formatRatio(Infinity)).toBe('∞')
  })
  it('formats percentages without rounding up to 100%', () => {
    expect(formatPercent(0)).toBe('0.0%')
    expect(formatPercent(0.4256)).toBe('42.5%')
    expect(formatPercent(0.99999)).toBe('99.9%')
    expect(formatPercent(1)).toBe('100%')
  })
  it('formats dates and absences', () => {
    expect(formatDateTime(null)).toBe('—')
    expect(formatDateTime('garbage')).toBe('—')
    expect(formatDateTime(new Date(2024, 4, 1, 13, 5).toISOString())).toBe('2024-05-01 13:05')
  })
  it('converts KiB/s to bytes/s and back', () => {
    expect(kibToBytesPerSecond(100)).toBe(102_400)
    expect(kibToBytesPerSecond(0)).toBe(0)
    expect(kibToBytesPerSecond(-5)).toBe(0)
    expect(kibToBytesPerSecond(1.5)).toBe(1536)
    expect(bytesToKibPerSecond(102_400)).toBe(100)
    expect(bytesToKibPerSecond(0)).toBe(0)
    expect(bytesToKibPerSecond(1000)).toBe(0.98)
  })
})

describe('formatting for a locale', () => {
  it('writes sizes and speeds the locale’s way, keeping the units', () => {
    expect(formatBytes(1.5 * 1024 ** 2, 'de')).toBe('1,5 MiB')
    expect(formatBytes(1023, 'de')).toBe('1.023 B')
    expect(formatBytes(1.5 * 1024 ** 2, 'fr')).toBe('1,5 MiB')
    expect(formatBytes(1.5 * 1024 ** 2, 'en')).toBe('1.5 MiB')
    expect(formatSpeed(2.5 * 1024 * 1024, 'de')).toBe('2,5 MiB/s')
  })

  it('writes dates the locale’s way', () => {
    const iso = new Date(2024, 4, 1, 13, 45).toISOString()
    expect(formatDateTime(iso, 'de')).toBe('01.05.24, 13:45')
    expect(formatDateTime(null, 'de')).toBe('—')
  })

  // German and French put a no-break space before the percent sign; which one (U+00A0 or the narrow
  // U+202F) depends on the ICU version, so either passes.
  const nbsp = (s: string): string => s.replace(/[\u00a0\u202f]/g, '~')
  it('writes percentages the locale’s way, still never rounding up to 100 %', () => {
    expect(nbsp(formatPercent(0.4256, 'de'))).toBe('42,5~%')
    expect(nbsp(formatPercent(0.99999, 'de'))).toBe('99,9~%')
    expect(nbsp(formatPercent(1, 'de'))).toBe('100~%')
    expect(nbsp(formatPercent(0, 'fr'))).toBe('0,0~%')
    expect(nbsp(formatPercent(0.4256, 'fr'))).toBe('42,5~%')
    expect(formatPercent(0.4256, 'en')).toBe('42.5%')
    expect(formatPercent(1, 'en')).toBe('100%')
    expect(formatPercent(Number.NaN, 'de')).toBe('?')
  })

  it('writes ratios the locale’s way', () => {
    expect(formatRatio(0, 'de')).toBe('0,00')
    expect(formatRatio(1.256, 'fr')).toBe('1,26')
    expect(formatRatio(1234.5, 'de')).toBe('1.234,50')
    expect(formatRatio(0, 'en')).toBe('0.00')
    expect(formatRatio(Infinity, 'de')).toBe('∞')
  })
})
