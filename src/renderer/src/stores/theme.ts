import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

/** The in-app theme: follow the OS, or force light or dark. A renderer preference, not an engine setting. */
export type ThemeChoice = 'system' | 'light' | 'dark'
export const themeChoices: readonly ThemeChoice[] = ['system', 'light', 'dark']

const STORAGE_KEY = 'seedling.theme'

function isThemeChoice(v: unknown): v is ThemeChoice {
  return typeof v === 'string' && (themeChoices as readonly string[]).includes(v)
}

/** The saved choice; anything else in storage (or no storage at all) is 'system'. */
function readChoice(): ThemeChoice {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
    return isThemeChoice(saved) ? saved : 'system'
  } catch {
    return 'system'
  }
}

function osQuery(): MediaQueryList | null {
  return typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null
}

export const useThemeStore = defineStore('theme', () => {
  const choice = ref<ThemeChoice>(readChoice())
  const query = osQuery()
  const osDark = ref(query?.matches ?? false)
  query?.addEventListener('change', (e) => (osDark.value = e.matches))

  /** What is shown: the canvas (pieces map) paints with it and repaints when it changes. */
  const dark = computed(() => (choice.value === 'system' ? osDark.value : choice.value === 'dark'))

  // style.css turns data-theme into a color-scheme; without it the page follows the OS.
  function apply(): void {
    const root = document.documentElement
    if (choice.value === 'system') delete root.dataset.theme
    else root.dataset.theme = choice.value
  }

  function set(next: ThemeChoice): void {
    if (!isThemeChoice(next)) return
    choice.value = next
    apply()
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, next)
    } catch {
      // Storage refused (private mode): the choice holds for this session.
    }
  }

  apply()
  return { choice, dark, set }
})
