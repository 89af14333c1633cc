/** `protocol`: schemes registered as privileged and the handlers given to `protocol.handle`. */
import { record } from './record'

type Handler = Parameters<Electron.Protocol['handle']>[1]

const handlers = new Map<string, Handler>()

export function protocolHandler(scheme: string): Handler | undefined {
  return handlers.get(scheme)
}

export const protocol = {
  registerSchemesAsPrivileged(customSchemes: Electron.CustomScheme[]): void {
    record('protocol.registerSchemesAsPrivileged', customSchemes)
  },
  handle(scheme: string, handler: Handler): void {
    // Electron throws for a scheme handled twice.
    if (handlers.has(scheme)) throw new Error(`The scheme "${scheme}" is already handled`)
    record('protocol.handle', scheme)
    handlers.set(scheme, handler)
  },
  unhandle(scheme: string): void {
    handlers.delete(scheme)
  },
  isProtocolHandled(scheme: string): boolean {
    return handlers.has(scheme)
  },
} satisfies Partial<Electron.Protocol>
