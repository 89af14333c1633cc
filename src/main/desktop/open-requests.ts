/**
 * Turns what the OS hands the app (argv on first launch or in `second-instance`, macOS `open-file` and
 * `open-url`) into add requests. Only magnet links with a v1 info hash and existing `.torrent` files are
 * accepted; switches, Electron's own argv entries and anything else are ignored. Pure: no Electron.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { OpenRequest } from '@shared/desktop-api'
import { MAX_TORRENT_FILE_BYTES, MAX_TORRENT_FILE_SIZE_TEXT } from '@shared/limits'
import { parseTorrentLink } from '../engine/magnet'

export type OpenTarget = { kind: 'magnet'; uri: string } | { kind: 'file'; path: string }

export interface ParseOpenOptions {
  cwd: string
  isFile(path: string): boolean
}

export function parseOpenRequests(argv: readonly string[], opts: ParseOpenOptions): OpenTarget[] {
  const out: OpenTarget[] = []
  const seen = new Set<string>()
  for (const raw of argv) {
    if (typeof raw !== 'string') continue
    const arg = raw.trim()
    if (arg === '' || arg.startsWith('-')) continue
    if (/^magnet:/i.test(arg)) {
      let infoHash: string
      try {
        infoHash = parseTorrentLink(arg).infoHash
      } catch {
        continue
      }
      if (seen.has(`magnet:${infoHash}`)) continue
      seen.add(`magnet:${infoHash}`)
      out.push({ kind: 'magnet', uri: arg })
      continue
    }
    const file = torrentPathOf(arg, opts.cwd)
    if (file === null || seen.has(`file:${file}`) || !opts.isFile(file)) continue
    seen.add(`file:${file}`)
    out.push({ kind: 'file', path: file })
  }
  return out
}

/** An absolute path for a `.torrent` argument (plain path or `file://` URL, as `%U` passes); else null. */
function torrentPathOf(arg: string, cwd: string): string | null {
  let p = arg
  if (/^file:/i.test(arg)) {
    try {
      p = fileURLToPath(arg)
    } catch {
      return null
    }
  } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(arg)) {
    return null // some other URL scheme
  }
  if (!/\.torrent$/i.test(p) || p.includes('\0')) return null
  return path.resolve(cwd, p)
}

/** Reads a file target into an add request; null (with a reason) when it is unreadable or too large. */
export async function readOpenTarget(
  target: OpenTarget,
): Promise<{ request: OpenRequest } | { error: string }> {
  if (target.kind === 'magnet') return { request: { kind: 'magnet', uri: target.uri } }
  const read = await readTorrentFile(target.path)
  if ('error' in read) return read
  return { request: { kind: 'file', name: read.name, source: read.source } }
}

export async function readTorrentFile(
  file: string,
): Promise<{ name: string; source: { kind: 'file'; data: string } } | { error: string }> {
  const name = path.basename(file)
  try {
    const handle = await fs.open(file, 'r')
    try {
      const stat = await handle.stat()
      if (!stat.isFile()) return { error: `${name} is not a file` }
      if (stat.size > MAX_TORRENT_FILE_BYTES)
        return { error: `${name} is larger than ${MAX_TORRENT_FILE_SIZE_TEXT}` }
      const data = await handle.readFile()
      // The file may have grown between stat and read.
      if (data.length > MAX_TORRENT_FILE_BYTES)
        return { error: `${name} is larger than ${MAX_TORRENT_FILE_SIZE_TEXT}` }
      return { name, source: { kind: 'file', data: data.toString('base64') } }
    } finally {
      await handle.close()
    }
  } catch (err) {
    return { error: `cannot read ${name}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` }
  }
}

/**
 * Holds add requests until the renderer has subscribed, then delivers them in order; later ones go
 * straight through. A reload or a closed window detaches, and requests queue again.
 */
export class OpenRequestQueue {
  private queue: OpenRequest[] = []
  private sink: ((req: OpenRequest) => void) | null = null

  constructor(private readonly limit = 100) {}

  push(req: OpenRequest): void {
    if (this.sink) this.sink(req)
    else {
      this.queue.push(req)
      if (this.queue.length > this.limit) this.queue.shift()
    }
  }

  attach(sink: (req: OpenRequest) => void): void {
    this.sink = sink
    const queued = this.queue
    this.queue = []
    for (const req of queued) sink(req)
  }

  detach(): void {
    this.sink = null
  }

  get size(): number {
    return this.queue.length
  }
}
