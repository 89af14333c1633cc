/**
 * Channel names of the desktop-only API, imported by both the preload and main (desktop/ipc.ts) so they
 * cannot drift. Built from the shared helpers: `seedling:desktop:<method>`, `seedling-event:desktop:<event>`.
 */
import { eventChannel, ipcChannel } from '../../shared/ipc-channels'

export type DesktopEvent = 'open-request' | 'engine-status' | 'menu-command'

export const desktopChannel = (method: string): string => ipcChannel(`desktop:${method}`)
export const desktopEventChannel = (event: DesktopEvent): string => eventChannel(`desktop:${event}`)
/** Invoked by the renderer once it listens for open requests; queued ones are then replayed. */
export const OPEN_REQUESTS_READY = 'openRequestsReady'
