import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { EngineStats } from '@shared/api'
import { getClient } from '../api'

/** Global engine stats: subscribe to 'stats' first, then fetch the current value. */
export const useStatsStore = defineStore('stats', () => {
  const stats = ref<EngineStats | null>(null)
  let off: (() => void) | null = null

  async function connect(): Promise<void> {
    off?.()
    const client = getClient()
    let received = false
    off = client.on('stats', (s) => {
      received = true
      stats.value = s
    })
    const initial = await client.getStats()
    if (!received) stats.value = initial
  }

  function disconnect(): void {
    off?.()
    off = null
  }

  return { stats, connect, disconnect }
})
