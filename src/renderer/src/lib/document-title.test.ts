import { describe, expect, it } from 'vitest'
import { i18n } from '../i18n'
import { documentTitle } from './document-title'

describe('documentTitle', () => {
  it('leads with the total speeds', () => {
    expect(documentTitle({ downloadSpeed: 2048, uploadSpeed: 0 }, false)).toBe(
      '↓ 2 KiB/s ↑ 0 B/s – Seedling',
    )
  })

  it('shows no speeds before the first stats or while disconnected', () => {
    expect(documentTitle(null, false)).toBe('Seedling')
    expect(documentTitle({ downloadSpeed: 2048, uploadSpeed: 10 }, true)).toBe(
      'Seedling (disconnected)',
    )
  })

  it('follows the UI’s language, numbers included', () => {
    i18n.global.locale.value = 'de'
    try {
      expect(documentTitle({ downloadSpeed: 1536, uploadSpeed: 0 }, false)).toBe(
        '↓ 1,5 KiB/s ↑ 0 B/s – Seedling',
      )
      expect(documentTitle(null, true)).toBe('Seedling (getrennt)')
    } finally {
      i18n.global.locale.value = 'en'
    }
  })
})
