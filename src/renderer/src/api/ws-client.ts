/**
 * The renderer's WebSocket transport: the shared remote client (src/shared/remote-client.ts) pointed at
 * `seedling serve` on the page's own host. Reconnects with a bounded backoff, rejects calls cut off by a
 * disconnect with a clear message, and resynchronizes event listeners after a reconnect.
 */
import { REMOTE_API_PATH } from '@shared/remote-protocol'
import { createRemoteClient } from '@shared/remote-client'
import type { RemoteClient, RemoteClientOptions } from '@shared/remote-client'
import type { SeedlingClient } from '@shared/bridge'

export type { SocketLike } from '@shared/remote-client'
export type WsClientOptions = RemoteClientOptions

/** A `SeedlingClient` that also reports and ends its connection. */
export type WsClient = RemoteClient & SeedlingClient

/** `ws://host/api` for a page served over http, `wss://` over https. */
export function defaultWsUrl(): string {
  const loc = (globalThis as { location?: { protocol: string; host: string } }).location
  if (!loc?.host) throw new Error('the Seedling WebSocket client needs a URL outside a web page')
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}${REMOTE_API_PATH}`
}

export function createWsClient(url?: string, options: WsClientOptions = {}): WsClient {
  return createRemoteClient(url ?? defaultWsUrl(), options)
}
