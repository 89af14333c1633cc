/**
 * The one generator of client-side API objects: every transport (the preload, the WebSocket client, the
 * engine host client, the renderer over the preload) supplies only `call`, and gets one method per name.
 * The names come from records checked against the contract (`apiMethodNames`, `desktopMethods`), so a
 * method added to the contract appears in every client without touching them.
 */
import { apiMethodNames } from './api'
import type { ApiMethod, SeedlingApi } from './api'

export type Call<M extends string = string> = (method: M, params: unknown) => Promise<unknown>

type AsyncMethods<Api> = { [K in keyof Api]: (...args: never[]) => Promise<unknown> }

/**
 * An object with one method per key of `names`, each forwarding its single params argument to `call`.
 * The result type is taken on trust from the transport: the other side checked the params against the
 * contract and answers with what the contract says.
 */
export function createProxy<Api extends AsyncMethods<Api>>(
  names: { readonly [K in keyof Api]: true },
  call: Call<keyof Api & string>,
): Api {
  const proxy: Record<string, (params?: unknown) => Promise<unknown>> = {}
  for (const method of Object.keys(names) as Array<keyof Api & string>) {
    proxy[method] = (params?: unknown) => call(method, params)
  }
  return proxy as unknown as Api
}

export function createApiProxy(call: Call<ApiMethod>): SeedlingApi {
  return createProxy<SeedlingApi>(apiMethodNames, call)
}
