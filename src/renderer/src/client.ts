/**
 * The one place the renderer gets its API client from. Until `api/index.ts` (the transport picker)
 * lands, this holds the client itself: `window.seedling` in Electron, or whatever a test injects.
 */
import type { SeedlingClient } from './api/client'

export type { SeedlingClient }

let current: SeedlingClient | null = null

export function setClient(client: SeedlingClient | null): void {
  current = client
}

export function getClient(): SeedlingClient {
  if (current) return current
  if (typeof window !== 'undefined' && window.seedling) return (current = window.seedling)
  throw new Error('Not connected to a Seedling engine.')
}
