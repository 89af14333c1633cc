import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { HostStatus } from '@shared/desktop-api'
import type { SeedlingClient } from '../api'
import { t } from '../i18n'

export type ConnectionState = 'connecting' | 'online' | 'offline'

/**
 * Whether the engine can be reached right now. Two sources: the WebSocket client of `seedling serve`
 * (its `connected` flag and `onConnectionChange` events: even a connection that lasts a moment counts), and
 * the desktop host's engine status (a restarting engine is just as unreachable). While offline the UI greys
 * out live data and refuses actions instead of letting the client queue them to run seconds later.
 */
export const useConnectionStore = defineStore('connection', () => {
  /** The transport's own flag; the desktop bridge has none and is always "connected". */
  const transportUp = ref(true)
  const everUp = ref(false)
  const engineStatus = ref<HostStatus | null>(null)

  const engineDown = computed(
    () => engineStatus.value !== null && engineStatus.value.state !== 'running',
  )
  const state = computed<ConnectionState>(() => {
    if (!everUp.value) return 'connecting'
    return transportUp.value && !engineDown.value ? 'online' : 'offline'
  })
  /**
   * Only a lost connection refuses actions: before the first connection the list is empty anyway, and
   * the client waits (bounded) for that first connection by design.
   */
  const offline = computed(() => state.value === 'offline')
  /** The one line shown while offline; null otherwise (so the status region only changes on a transition). */
  const message = computed(() => {
    if (state.value !== 'offline') return null
    if (engineDown.value && engineStatus.value?.state === 'failed') {
      return t('connection.engineFailed', {
        reason: engineStatus.value.reason ?? t('connection.unknownError'),
      })
    }
    if (engineDown.value) return t('connection.engineRestarting')
    return t('connection.reconnecting')
  })

  const currentState = (): ConnectionState => state.value
  let unsubscribe: (() => void) | null = null
  let onReconnect: () => void = () => undefined

  /** Reads the client's flag once; a client without one (the desktop bridge) is always connected. */
  function check(client: SeedlingClient): void {
    const flag = (client as { connected?: unknown }).connected
    setTransport(typeof flag === 'boolean' ? flag : true)
  }
  function setTransport(up: boolean): void {
    const wasOffline = state.value === 'offline'
    transportUp.value = up
    if (up) everUp.value = true
    // Read through a function: TypeScript narrows `state.value` from the line above and would not see it change.
    if (wasOffline && currentState() === 'online') onReconnect()
  }
  /** The desktop host's state. No reconnect hook here: useDesktopEvents already re-fetches after a restart. */
  function setEngineStatus(status: HostStatus): void {
    engineStatus.value = status
  }

  /** Starts watching `client`; `reconnected` re-fetches the snapshot after an outage. */
  function watchClient(client: SeedlingClient, reconnected: () => void): () => void {
    stop()
    onReconnect = reconnected
    check(client)
    const events = (client as { onConnectionChange?: unknown }).onConnectionChange
    if (typeof events === 'function') {
      unsubscribe = (events as (l: (up: boolean) => void) => () => void).call(client, setTransport)
    }
    return stop
  }
  function stop(): void {
    unsubscribe?.()
    unsubscribe = null
    onReconnect = () => undefined
  }

  return {
    state,
    offline,
    message,
    engineStatus,
    check,
    setTransport,
    setEngineStatus,
    watchClient,
    stop,
  }
})
