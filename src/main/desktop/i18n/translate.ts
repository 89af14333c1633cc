/**
 * Picks the desktop shell's language from the system's preferred languages and fills in messages.
 * English is the source and the fallback for a language Seedling does not have.
 */
import { de } from './de'
import { en } from './en'
import type { MessageKey, Messages } from './en'
import { fr } from './fr'

export const catalogues = { en, de, fr } satisfies Record<string, Messages>
export type Locale = keyof typeof catalogues

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

/** The first of `preferred` (BCP 47 tags, e.g. from app.getPreferredSystemLanguages()) we have. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split(/[-_]/)[0] ?? ''
    if (Object.hasOwn(catalogues, language)) return language as Locale
  }
  return 'en'
}

export function translator(locale: Locale): Translate {
  const messages: Messages = catalogues[locale]
  return (key, values = {}) =>
    messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(values, name) ? String(values[name]) : whole,
    )
}
