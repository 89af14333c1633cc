/**
 * The one entry point for commands arriving over any transport (IPC, WebSocket): the method name must be
 * in the contract and the params must pass its schema before the engine sees them.
 */
import type { ApiMethod, SeedlingApi } from '@shared/api'
import { SeedlingError } from '@shared/api'
import { apiParamSchemas } from '@shared/api-schemas'

export type Dispatch = (method: string, params: unknown) => Promise<unknown>

function isApiMethod(method: string): method is ApiMethod {
  return Object.prototype.hasOwnProperty.call(apiParamSchemas, method)
}

export function createDispatcher(api: SeedlingApi): Dispatch {
  return async (method, params) => {
    if (typeof method !== 'string' || !isApiMethod(method))
      throw new SeedlingError(`unknown command: ${String(method).slice(0, 64)}`)
    const checked = apiParamSchemas[method].safeParse(params)
    if (!checked.success) {
      const issue = checked.error.issues[0]
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
      throw new SeedlingError(`invalid ${method} request${where}: ${issue?.message ?? 'rejected'}`)
    }
    const call = api[method] as (arg: unknown) => Promise<unknown>
    return call.call(api, checked.data)
  }
}
