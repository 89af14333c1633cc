/**
 * The renderer's vue-i18n instance. The language is the user's saved choice, else the first of the
 * browser's preferred languages Seedling has (matched by language, as the desktop shell does),
 * else English, which is also the fallback for anything missing.
 */
import { createI18n } from 'vue-i18n'
import { de } from './de'
import { en } from './en'
import type { MessageKey, Messages } from './en'
import { fr } from './fr'
import { isLocale, pickLocale } from '@shared/locales'
import type { Locale } from '@shared/locales'

export const catalogues = { en, de, fr } satisfies Record<Locale, Messages>
export { isLocale, localeNames, LOCALES as locales, pickLocale } from '@shared/locales'
export type { Locale } from '@shared/locales'

const STORAGE_KEY = 'seedling.locale'

export function savedLocale(): Locale | null {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
    return isLocale(saved) ? saved : null
  } catch {
    // Storage can be unavailable (privacy settings); the browser's languages still apply.
    return null
  }
}

function initialLocale(): Locale {
  return savedLocale() ?? pickLocale(globalThis.navigator?.languages ?? [])
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  // French counts 0 as singular ("0 pair"); vue-i18n's default rule is English's.
  pluralRules: { fr: (choice: number) => (Math.abs(choice) < 2 ? 0 : 1) },
  messages: catalogues,
})

/** The current locale, reactive: reading it in a render or computed re-runs it on a switch. */
export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale
}

/** Switches at once and remembers the choice; `null` forgets it and follows the browser again. */
export function setLocale(locale: Locale | null): void {
  try {
    if (locale) globalThis.localStorage?.setItem(STORAGE_KEY, locale)
    else globalThis.localStorage?.removeItem(STORAGE_KEY)
  } catch {
    // Not remembered, but the switch below still applies for this session.
  }
  i18n.global.locale.value = locale ?? initialLocale()
  globalThis.document?.documentElement.setAttribute('lang', i18n.global.locale.value)
}

/**
 * Translates a catalogue key. Usable from any module (not only inside setup), and reactive in
 * templates and computeds because it reads the global locale.
 */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  return values ? i18n.global.t(key, values) : i18n.global.t(key)
}

/** `t`'s shape, for modules that are handed a translator rather than importing this one. */
export type Translate = typeof t

/**
 * For a message with `singular | plural` forms, picked by `count`, which also fills `{count}`,
 * written the locale's way (`1.234` in German).
 */
export function tn(
  key: MessageKey,
  count: number,
  values?: Record<string, string | number>,
): string {
  return i18n.global.t(key, { ...values, count: n(count) }, count)
}

/**
 * A number written the current locale's way: `1,234` in English, `1.234` in German; `options` as
 * Intl.NumberFormat takes them (`{ minimumIntegerDigits: 2 }` for `05`).
 */
export function n(value: number, options?: Intl.NumberFormatOptions): string {
  return options ? i18n.global.n(value, options) : i18n.global.n(value)
}
