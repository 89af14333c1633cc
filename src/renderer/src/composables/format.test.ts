import { afterEach, describe, expect, it } from 'vitest'
import { formatEta } from '@shared/format'
import { i18n } from '../i18n'
import { useFormat } from './format'

afterEach(() => {
  i18n.global.locale.value = 'en'
})

const SPANS = [45, 185, 2 * 3600 + 5 * 60, 3 * 86400 + 4 * 3600, 400 * 86400]
// Which no-break space ICU puts before a percent sign varies by version; either passes.
const nbsp = (s: string): string => s.replace(/[\u00a0\u202f]/g, '~')

describe('useFormat', () => {
  it('words an ETA as the CLI does in English', () => {
    const { eta } = useFormat()
    expect(SPANS.map(eta)).toEqual(['45s', '3m 05s', '2h 05m', '3d 4h', '> 1y'])
    expect(SPANS.map(eta)).toEqual(SPANS.map(formatEta))
    expect(eta(null)).toBe('∞')
  })

  it('words an ETA in German and French', () => {
    const { eta } = useFormat()
    i18n.global.locale.value = 'de'
    expect(SPANS.map(eta)).toEqual(['45 s', '3:05 min', '2:05 h', '3 T. 4 h', '> 1 Jahr'])
    i18n.global.locale.value = 'fr'
    expect(SPANS.map(eta)).toEqual(['45 s', '3 min 05', '2 h 05', '3 j 4 h', '> 1 an'])
    expect(eta(-1)).toBe('∞')
  })

  it('follows a switch of language for percentages and ratios', () => {
    const { percent, ratio } = useFormat()
    expect([percent(0.4256), percent(1), ratio(0)]).toEqual(['42.5%', '100%', '0.00'])
    i18n.global.locale.value = 'de'
    expect([nbsp(percent(0.4256)), nbsp(percent(1)), ratio(0)]).toEqual(['42,5~%', '100~%', '0,00'])
    i18n.global.locale.value = 'fr'
    expect([nbsp(percent(0.4256)), ratio(1.256)]).toEqual(['42,5~%', '1,26'])
  })
})
