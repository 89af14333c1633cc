/**
 * Which web permissions the app's pages get. Pure: hardening.ts asks it from every session's
 * permission request and check handlers.
 *
 * Why an allowlist: Electron grants every permission by default (camera, microphone, geolocation,
 * notifications, HID/serial/USB, screen capture…). Seedling's renderer needs one: writing text to the
 * clipboard ('clipboard-sanitized-write', for "copy magnet link"). Pasting goes through the paste
 * event, which needs no permission, and notifications are shown by the main process, not the page, so
 * 'notifications' is denied too. Even the allowed one is for the app's own page (its main frame) only.
 */

export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

export interface PermissionRequester {
  /** The requesting frame's URL (or, for a check, its origin). */
  url: string
  isMainFrame: boolean
}

export function permissionAllowed(
  permission: string,
  requester: PermissionRequester,
  isAppPage: (url: string) => boolean,
): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && requester.isMainFrame && isAppPage(requester.url)
}
