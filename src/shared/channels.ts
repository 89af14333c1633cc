/**
 * Electron IPC channel names, imported by main (desktop/ipc.ts and the controllers that push events) and
 * by the preload, so the two sides cannot drift. API methods are `seedling:<method>`, engine events
 * `seedling-event:<event>`; the desktop-only API lives under `seedling:desktop:` and
 * `seedling-event:desktop:`.
 */
export const ipcChannel = (method: string): string => `seedling:${method}`
export const eventChannel = (event: string): string => `seedling-event:${event}`

export type DesktopEvent = 'open-request' | 'engine-status' | 'menu-command'

export const desktopChannel = (method: string): string => ipcChannel(`desktop:${method}`)
export const desktopEventChannel = (event: DesktopEvent): string => eventChannel(`desktop:${event}`)

/** Invoked by the renderer once it listens for open requests; queued ones are then replayed. */
export const OPEN_REQUESTS_READY = 'openRequestsReady'
