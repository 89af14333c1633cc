/**
 * The check every message catalogue gets (the renderer's and the desktop shell's): each language has
 * every English key, no other, each translated, with the same placeholders.
 */
import { expect, it } from 'vitest'

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort()

export function itHasCompleteCatalogues(
  catalogues: Record<string, Record<string, string>>,
  en: Record<string, string>,
): void {
  it.each(Object.keys(catalogues))(
    '%s has every key of English, no other, each translated',
    (name) => {
      const messages = catalogues[name]!
      expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort())
      for (const [key, text] of Object.entries(en)) {
        expect(messages[key]?.trim(), `${name}: ${key}`).toBeTruthy()
        // A placeholder lost or renamed in translation would show "{count}" to the user.
        expect(placeholders(messages[key]!), `${name}: ${key}`).toEqual(placeholders(text))
      }
    },
  )
}
