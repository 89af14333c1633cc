import { describe, expect, it } from 'vitest'
import {
  bytesToKibPerSecond,
  formatDateTime,
  formatPercent,
  formatRatio,
  kibToBytesPerSecond,
} from './format-extra'

describe('format-extra', () => {
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
