/**
 * The client-side shapes of the contract. `SeedlingClient` is what the renderer talks to, whatever the
 * transport; `SeedlingBridge` is what the preload exposes as `window.seedling`. Electron's contextBridge
 * copies only the message of a thrown error, so the bridge resolves to envelopes (shared/wire.ts) and the
 * page turns them back into values and SeedlingErrors with their codes.
 */
import type { EventName, SeedlingApi, SeedlingEvents } from './api'
import type { DesktopApi, desktopMethods } from './desktop-api'
import type { ReplyApi } from './wire'

export interface SeedlingEventSource {
  on<K extends EventName>(event: K, listener: (payload: SeedlingEvents[K]) => void): () => void
}

/** The API contract plus events, and the desktop-only API where there is one (the Electron window). */
export interface SeedlingClient extends SeedlingApi, SeedlingEventSource {
  desktop?: DesktopApi
}

/** The desktop methods that are calls (the rest are subscriptions). */
export type DesktopMethod = keyof typeof desktopMethods
export type DesktopCalls = Pick<DesktopApi, DesktopMethod>
export type DesktopBridge = ReplyApi<DesktopCalls> & Omit<DesktopApi, DesktopMethod>

export type SeedlingBridge = ReplyApi<SeedlingApi> &
  SeedlingEventSource & {
    /** Present in the desktop app only. */
    desktop?: DesktopBridge
  }
