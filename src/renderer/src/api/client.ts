import type { SeedlingBridge } from '../../../preload/bridge'

/**
 * What the renderer talks to: the API contract plus event subscription. In Electron it is the preload's
 * `window.seedling`; in a browser it is the WebSocket client. Nothing else in the renderer knows which.
 */
export type SeedlingClient = SeedlingBridge
