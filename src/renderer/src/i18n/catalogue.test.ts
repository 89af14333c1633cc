import { describe, expect, it } from 'vitest'
import { en } from './en'
import type { MessageKey } from './en'
import { itHasCompleteCatalogues } from '../../../../test/support/catalogues'
import { catalogues, i18n, n, t, tn } from './index'

describe('the renderer message catalogue', () => {
  itHasCompleteCatalogues(catalogues, en)

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
