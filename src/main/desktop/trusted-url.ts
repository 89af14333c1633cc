/**
 * Which page may call the API: the app's own renderer (the built index.html, or the dev server in
 * development), nothing else. Used to check the sender frame of every IPC call. Pure: no Electron.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export interface RendererLocation {
  /** The dev server's URL (development only); undefined in a built app. */
  rendererUrl: string | undefined
  /** The built renderer's index.html. */
  rendererFile: string
}

export function isTrustedRendererUrl(url: string, loc: RendererLocation): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (loc.rendererUrl) {
    const dev = new URL(loc.rendererUrl)
    return u.origin === dev.origin && (u.protocol === 'http:' || u.protocol === 'https:')
  }
  if (u.protocol !== 'file:' || (u.host !== '' && u.host !== 'localhost')) return false
  try {
    return path.resolve(fileURLToPath(u)) === path.resolve(loc.rendererFile)
  } catch {
    return false
  }
}
