/**
 * Serves the built renderer (out/renderer) read-only: each URL segment is decoded on its own and checked,
 * so no `..`, encoded separator, dot-file or symlink can reach anything outside the folder.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { contentTypeOf } from '../content-type'

/**
 * Splits a request path (no query) into safe segments, or null when any segment is unsafe. `/` and the
 * empty path mean index.html.
 */
export function safeSegments(pathname: string): string[] | null {
  if (!pathname.startsWith('/')) return null
  const segments: string[] = []
  for (const raw of pathname.slice(1).split('/')) {
    if (raw === '') continue
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return null
    }
    if (segment.startsWith('.') || /[/\\\0:]/.test(segment)) return null
    segments.push(segment)
  }
  return segments.length > 0 ? segments : ['index.html']
}

export interface StaticFile {
  file: string
  body: Buffer
  contentType: string
}

export class StaticFiles {
  private rootReal: string | null = null

  constructor(readonly root: string) {}

  /** Resolves the folder once; throws when it holds no index.html (the renderer is not built). */
  async check(): Promise<void> {
    this.rootReal = await fs.realpath(this.root)
    const index = await fs.stat(path.join(this.rootReal, 'index.html')).catch(() => null)
    if (!index?.isFile()) throw new Error('no index.html')
  }

  /** The file for a request path, or null (not found or not allowed: the caller answers 404 either way). */
  async load(pathname: string): Promise<StaticFile | null> {
    const segments = safeSegments(pathname)
    if (!segments) return null
    const root = this.rootReal ?? (this.rootReal = await fs.realpath(this.root))
    const candidate = path.join(root, ...segments)
    let real: string
    try {
      real = await fs.realpath(candidate)
    } catch {
      return null
    }
    if (!real.startsWith(root + path.sep)) return null
    try {
      const stat = await fs.stat(real)
      if (!stat.isFile()) return null
      return { file: real, body: await fs.readFile(real), contentType: contentTypeOf(real) }
    } catch {
      return null
    }
  }
}
