/**
 * The app:// scheme the built renderer is served from (app://seedling/index.html), in place of file://.
 *
 * Why: under file:// the page's origin is the whole file system, so CSP 'self', fetch() and the IPC
 * sender check would all trust any local file (a downloaded .html among them). A privileged standard
 * scheme gives the renderer an origin of its own, app://seedling, that serves out/renderer and nothing
 * else. Every request is resolved here: each path segment is decoded on its own and refused if it is
 * empty-after-decoding, a dot segment, or carries a separator, NUL or drive colon (so no `..`, `%2e%2e`,
 * `%2f` or absolute path gets out); the real path, symlinks followed, must still be inside the folder.
 * Anything refused is a plain 404, like a missing file, so probing learns nothing.
 *
 * No Electron here: requests and responses are the Fetch API's, which Node has too, so this is tested
 * without the binary; index.ts hands it to protocol.handle.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { contentTypeOf } from '../content-type'

export const APP_SCHEME = 'app'
export const APP_HOST = 'seedling'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * The scheme's privileges (protocol.registerSchemesAsPrivileged, before `ready`): standard so it has an
 * origin and relative URLs resolve, secure so it is a secure context like https, fetch for the ES module
 * loader. Not bypassCSP, not corsEnabled, no service workers: the page needs none of them.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
} as const

/** True for a URL on the app's origin (any path); nothing else, not even `app://seedling:1/`. */
export function isAppUrl(url: string): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  return (
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  )
}

/**
 * The file a request URL names, as path segments under the renderer folder, or null when the URL is not
 * on the app's origin or any segment is unsafe. `/` means index.html. Pure: no file system.
 */
export function appRequestSegments(url: string): string[] | null {
  if (!isAppUrl(url)) return null
  // The raw path, before URL parsing resolves dot segments, so `/a/../../x` is refused, not tidied.
  const rawPath = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] ?? ''
  const segments: string[] = []
  for (const raw of rawPath.split('/')) {
    if (raw === '') continue
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return null
    }
    if (segment === '' || segment.startsWith('.') || /[/\\\0:]/.test(segment)) return null
    segments.push(segment)
  }
  return segments.length > 0 ? segments : ['index.html']
}

/**
 * The real path of the file a request URL names inside `rootReal` (itself a real path), or null: not
 * on the app's origin, an unsafe segment, missing, not a regular file, or a symlink out of the folder.
 */
export async function resolveAppFile(url: string, rootReal: string): Promise<string | null> {
  const segments = appRequestSegments(url)
  if (!segments) return null
  let real: string
  try {
    real = await fs.realpath(path.join(rootReal, ...segments))
    if (!real.startsWith(rootReal + path.sep)) return null
    if (!(await fs.stat(real)).isFile()) return null
  } catch {
    return null
  }
  return real
}

const notFound = (): Response =>
  new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } })

/**
 * Answers one app:// request from the renderer folder `root`: GET and HEAD only, 404 for anything
 * refused. Every response carries the CSP (it only takes effect on documents) and nosniff, so a file
 * is never run as anything but its extension's type.
 */
export async function serveAppRequest(
  request: { url: string; method: string },
  root: string,
  csp: string,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } })
  let rootReal: string
  try {
    rootReal = await fs.realpath(root)
  } catch {
    return notFound()
  }
  const file = await resolveAppFile(request.url, rootReal)
  if (!file) return notFound()
  let body: Buffer
  try {
    body = await fs.readFile(file)
  } catch {
    return notFound()
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: {
      'Content-Type': contentTypeOf(file),
      'Content-Length': String(body.length),
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
