/** Electron IPC channel names, shared by main and preload so they cannot drift. */
export const ipcChannel = (method: string): string => `seedling:${method}`
export const eventChannel = (event: string): string => `seedling-event:${event}`
