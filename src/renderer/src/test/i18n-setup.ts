/**
 * Renderer tests only: a key missing from the catalogue throws instead of vue-i18n's warning and
 * showing the key, so a dynamically built key that does not exist fails the test that renders it.
 */
import { i18n } from '../i18n'

i18n.global.setMissingHandler((locale, key) => {
  throw new Error(`missing translation: '${key}' in ${locale}`)
})
