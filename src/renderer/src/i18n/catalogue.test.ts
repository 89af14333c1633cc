import { describe, expect, it } from 'vitest'
import { en } from './en'
import type { MessageKey } from './en'
import { catalogues, i18n, n, pickLocale, t, tn } from './index'

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort()

describe('the renderer message catalogue', () => {
  it.each(Object.keys(catalogues))(
    '%s has every key of English, no other, each translated',
    (name) => {
      const messages = catalogues[name as keyof typeof catalogues] as Record<string, string>
      expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort())
      for (const [key, text] of Object.entries(en)) {
        expect(messages[key]?.trim(), `${name}: ${key}`).toBeTruthy()
        // A placeholder lost or renamed in translation would show "{name}" to the user.
        expect(placeholders(messages[key]!), `${name}: ${key}`).toEqual(placeholders(text))
      }
    },
  )

  it('picks the first preferred language it has, by language, falling back to English', () => {
    expect(pickLocale(['de-AT', 'en-US'])).toBe('de')
    expect(pickLocale(['ja-JP', 'fr_CA'])).toBe('fr')
    expect(pickLocale(['ja-JP'])).toBe('en')
    expect(pickLocale([])).toBe('en')
  })

  it('throws on a missing key in tests, so a dynamic key that does not exist fails', () => {
    expect(() => t('no.such.key' as MessageKey)).toThrow(/missing translation/)
    expect(t('list.sortBy', { column: 'Name' })).toBe('Sort by Name')
  })

  it('picks singular and plural forms by count, the French way in French', () => {
    expect([0, 1, 2].map((n) => tn('statusBar.peers', n))).toEqual(['0 peers', '1 peer', '2 peers'])
    i18n.global.locale.value = 'fr'
    try {
      expect([0, 1, 2].map((n) => tn('statusBar.peers', n))).toEqual([
        '0 pair',
        '1 pair',
        '2 pairs',
      ])
    } finally {
      i18n.global.locale.value = 'en'
    }
  })

  it('writes counts and numbers the locale’s way', () => {
    expect(tn('statusBar.peers', 1234)).toBe('1,234 peers')
    expect(n(1234.5)).toBe('1,234.5')
    i18n.global.locale.value = 'de'
    try {
      expect(tn('statusBar.peers', 1234)).toBe('1.234 Peers')
      expect(n(1234.5)).toBe('1.234,5')
    } finally {
      i18n.global.locale.value = 'en'
    }
  })
})
