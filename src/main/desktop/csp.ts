/**
 * The renderer's Content Security Policy. Pure: the main process sends it as a header (app:// responses,
 * the dev server's pages), electron.vite.config.ts writes the dev one into the page's meta tag, and a test
 * keeps src/renderer/index.html's meta tag equal to the built one.
 *
 * Why so strict: the renderer holds the bridge to the engine (add torrents, choose folders, reveal files),
 * so any script it runs is as powerful as the app. Nothing is allowed by default; scripts, styles and
 * connections come only from the app's own origin. The built app is served from app://seedling (not
 * file://), so 'self' is the app alone rather than every file on the disk. The headless web interface
 * serves the same index.html with its own header; 'self' there is that server, and its WebSocket too.
 *
 * In development the page comes from the Vite dev server: only that exact origin (and its ws: for hot
 * reload) is allowed, never localhost at large, and inline styles are allowed because Vite injects each
 * component's CSS as a <style> element. The built app needs no inline style: Vue sets :style bindings
 * through the CSSOM, which CSP does not govern, and the CSS is emitted as files.
 */

type Directives = ReadonlyArray<readonly [string, ...string[]]>

function serialize(directives: Directives): string {
  return directives.map((d) => d.join(' ')).join('; ')
}

// frame-ancestors is ignored (with a console warning) in a meta tag; headers only.
const HEADER_ONLY = new Set(['frame-ancestors'])

function policy(source: string, extra: { style: string[]; connect: string[] }): Directives {
  return [
    ['default-src', "'none'"],
    ['script-src', source],
    ['style-src', source, ...extra.style],
    ['img-src', source],
    ['font-src', source],
    ['connect-src', source, ...extra.connect],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
  ]
}

/** The built app's policy, as a header. */
export function productionCsp(): string {
  return serialize(policy("'self'", { style: [], connect: [] }))
}

/** The development policy: the dev server at `rendererUrl` (its exact origin) and nothing else. */
export function devCsp(rendererUrl: string): string {
  const url = new URL(rendererUrl)
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`the dev server URL must be http(s): ${rendererUrl}`)
  const ws = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`
  return serialize(policy(url.origin, { style: ["'unsafe-inline'"], connect: [ws] }))
}

/** A header policy as a meta tag may carry it (without the directives only a header can set). */
export function metaCsp(header: string): string {
  return header
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d && !HEADER_ONLY.has(d.split(/\s+/)[0]!))
    .join('; ')
}

const META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/

/** The page with its CSP meta tag set to `header` (as a meta tag can carry it); throws if it has none. */
export function withCspMeta(html: string, header: string): string {
  if (!META.test(html)) throw new Error('the page has no Content-Security-Policy meta tag')
  return html.replace(
    META,
    (_m, open: string, close: string) => `${open}${metaCsp(header)}${close}`,
  )
}
