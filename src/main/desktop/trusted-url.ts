/**
 * Which page is the app's own renderer: the app:// origin in a built app, the dev server's exact origin
 * in development, nothing else (no file://, no other port or host). Used to check the sender frame of
 * every IPC call, which pages may navigate or hold a permission, and who may open a link. Pure: no
 * Electron.
 */
import { isAppUrl } from './app-protocol'

export interface RendererLocation {
  /** The dev server's URL (development only); undefined in a built app, which is served from app://. */
  rendererUrl: string | undefined
}

export function isTrustedRendererUrl(url: string, loc: RendererLocation): boolean {
  if (!loc.rendererUrl) return isAppUrl(url)
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  const dev = new URL(loc.rendererUrl)
  return u.origin === dev.origin && (u.protocol === 'http:' || u.protocol === 'https:')
}
