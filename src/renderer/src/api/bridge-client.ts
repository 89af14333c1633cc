/**
 * The renderer's side of the preload: `window.seedling` resolves to envelopes (contextBridge would keep
 * only an error's message), and this turns them back into values, or SeedlingErrors with their codes.
 */
import { desktopMethods } from '../../../shared/desktop-api'
import { createApiProxy, createProxy } from '../../../shared/api-proxy'
import type {
  DesktopBridge,
  DesktopCalls,
  SeedlingBridge,
  SeedlingClient,
} from '../../../shared/bridge'
import type { DesktopApi } from '../../../shared/desktop-api'
import { fromReply } from '../../../shared/wire'
import type { Reply } from '../../../shared/wire'

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
