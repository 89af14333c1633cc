/**
 * Picks the desktop shell's language from the system's preferred languages and fills in messages.
 * English is the source and the fallback for a language Seedling does not have.
 */
import { de } from './de'
import { en } from './en'
import type { MessageKey, Messages } from './en'
import { fr } from './fr'
import type { Locale } from '@shared/locales'

export const catalogues = { en, de, fr } satisfies Record<Locale, Messages>

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

export function translator(locale: Locale): Translate {
  const messages: Messages = catalogues[locale]
  return (key, values = {}) =>
    messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(values, name) ? String(values[name]) : whole,
    )
}
