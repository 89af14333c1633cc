import type { EventName, SeedlingApi, SeedlingEvents } from '../shared/api'
import type { DesktopApi } from '../shared/desktop-api'

/** What the preload exposes as `window.seedling`: the API contract plus event subscription. */
export interface SeedlingBridge extends SeedlingApi {
  on<K extends EventName>(event: K, listener: (payload: SeedlingEvents[K]) => void): () => void
  /** Present in the desktop app only. */
  desktop?: DesktopApi
}
