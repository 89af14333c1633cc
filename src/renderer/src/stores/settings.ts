import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Settings, SettingsPatch } from '@shared/api'
import { getClient } from '../api'

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null)
  const loading = ref(false)
  const saving = ref(false)
  const error = ref<string | null>(null)

  async function load(): Promise<Settings | null> {
    loading.value = true
    try {
      settings.value = await getClient().getSettings()
      error.value = null
    } catch (err) {
      error.value = (err as Error).message
    } finally {
      loading.value = false
    }
    return settings.value
  }

  /** Saves a patch; resolves true when the engine accepted it, else sets `error`. */
  async function save(patch: SettingsPatch): Promise<boolean> {
    saving.value = true
    try {
      settings.value = await getClient().updateSettings(patch)
      error.value = null
      return true
    } catch (err) {
      error.value = (err as Error).message
      return false
    } finally {
      saving.value = false
    }
  }

  return { settings, loading, saving, error, load, save }
})
