/**
 * The languages Seedling speaks, in the window and in the desktop shell alike, and how one is picked
 * from a user's preferred languages. English is the source and the fallback.
 */
export const LOCALES = ['en', 'de', 'fr'] as const
export type Locale = (typeof LOCALES)[number]

/** Each language named in itself, so someone who cannot read the current one finds their own. */
export const localeNames: Record<Locale, string> = { en: 'English', de: 'Deutsch', fr: 'Français' }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/**
 * The first of `preferred` (BCP 47 tags, best first: navigator.languages, Electron's
 * app.getPreferredSystemLanguages()) that Seedling has, matched by language alone; else English.
 */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split(/[-_]/)[0] ?? ''
    if (isLocale(language)) return language
  }
  return 'en'
}
