import { afterEach, describe, expect, it } from 'vitest'
import { i18n } from '../i18n'
import { exactSize } from './exact-size'

afterEach(() => {
  i18n.global.locale.value = 'en'
})

describe('exactSize', () => {
  it('says what formatBytesExact says in English', () => {
    expect(exactSize(1)).toBe('1 byte')
    expect(exactSize(500)).toBe('500 bytes')
    expect(exactSize(1_572_864)).toBe('1.5 MiB (1,572,864 bytes)')
  })

  it('writes the numbers and the word the locale’s way', () => {
    i18n.global.locale.value = 'de'
    expect(exactSize(1)).toBe('1 Byte')
    expect(exactSize(1_572_864)).toBe('1,5 MiB (1.572.864 Bytes)')
    i18n.global.locale.value = 'fr'
    expect(exactSize(0)).toBe('0 octet')
    expect(exactSize(1_572_864)).toBe('1,5 MiB (1\u202f572\u202f864 octets)')
  })
})
