/**
 * The page's side of the preload (used by the renderer's api/): `window.seedling` resolves to envelopes,
 * because contextBridge would keep only an error's message, and this turns them back into values, or
 * SeedlingErrors with their codes.
 */
import { desktopMethods } from './desktop-api'
import { createApiProxy, createProxy } from './api-proxy'
import type { DesktopBridge, DesktopCalls, SeedlingBridge, SeedlingClient } from './bridge'
import type { DesktopApi } from './desktop-api'
import { fromReply } from './wire'
import type { Reply } from './wire'

type BridgeCall = (params?: unknown) => Promise<Reply>

function desktopClient(bridge: DesktopBridge): DesktopApi {
  const calls = createProxy<DesktopCalls>(desktopMethods, async (method, params) =>
    fromReply(await (bridge[method] as BridgeCall)(params)),
  )
  return { ...bridge, ...calls }
}

export function clientFromBridge(bridge: SeedlingBridge): SeedlingClient {
  const api = createApiProxy(async (method, params) =>
    fromReply(await (bridge[method] as BridgeCall)(params)),
  )
  return { ...bridge, ...api, desktop: bridge.desktop && desktopClient(bridge.desktop) }
}
