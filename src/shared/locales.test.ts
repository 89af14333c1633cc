import { describe, expect, it } from 'vitest'
import { isLocale, pickLocale } from './locales'

describe('locales', () => {
  it('picks the first preferred language it has, by language, falling back to English', () => {
    expect(pickLocale(['de-AT', 'en-US'])).toBe('de')
    expect(pickLocale(['ja-JP', 'fr_CA'])).toBe('fr')
    expect(pickLocale(['ja-JP'])).toBe('en')
    expect(pickLocale([])).toBe('en')
  })

  it('knows only its own languages', () => {
    expect(['en', 'de', 'fr'].every(isLocale)).toBe(true)
    for (const v of ['EN', 'de-DE', 'es', '', null, 7]) expect(isLocale(v), String(v)).toBe(false)
  })
})
