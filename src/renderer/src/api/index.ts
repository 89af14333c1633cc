/**
 * The one way the renderer reaches the engine: `window.seedling` inside Electron (the preload's bridge),
 * otherwise the WebSocket of `seedling serve` on the page's own host. Nothing else in the renderer knows
 * which transport it has.
 */
import { clientFromBridge } from '@shared/bridge-client'
import type { SeedlingClient } from '@shared/bridge'
import { createWsClient } from './ws-client'

export type { SeedlingClient } from '@shared/bridge'

let current: SeedlingClient | null = null

export function getClient(): SeedlingClient {
  const bridge = typeof window !== 'undefined' ? window.seedling : undefined
  current ??= bridge ? clientFromBridge(bridge) : createWsClient()
  return current
}

/** Replaces the client (tests); `null` makes the next `getClient()` pick again. */
export function setClient(client: SeedlingClient | null): void {
  current = client
}
