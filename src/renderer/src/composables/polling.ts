import { onBeforeUnmount, onMounted, watch } from 'vue'
import type { WatchSource } from 'vue'

/**
 * Calls `tick` now and every `intervalMs` while the component is mounted (tabs mount only while
 * visible), restarting when `key` changes. A slow reply never stacks: the next tick waits for it.
 * An interval of 0 calls `tick` once per key.
 */
export function usePolling(
  key: WatchSource<unknown>,
  tick: () => Promise<void>,
  intervalMs: number,
): void {
  let timer: ReturnType<typeof setTimeout> | null = null
  let generation = 0

  const stop = (): void => {
    generation++
    if (timer) clearTimeout(timer)
    timer = null
  }
  const start = (): void => {
    stop()
    const gen = generation
    const loop = async (): Promise<void> => {
      try {
        await tick()
      } catch {
        // The tick shows its own errors; polling carries on.
      } finally {
        if (gen === generation && intervalMs > 0) timer = setTimeout(() => void loop(), intervalMs)
      }
    }
    void loop()
  }

  onMounted(start)
  watch(key, start)
  onBeforeUnmount(stop)
}
