/**
 * The URLs of a torrent: which trackers (BEP 3, BEP 12 tiers) and web seeds (BEP 19) Seedling can use,
 * read from a .torrent with a warning for each one it leaves out, and magnet links built from them.
 */
import type { BDict, BValue } from './bencode'
import { TRACKER_URL_PROTOCOLS } from '@shared/tracker-url'
import type { Warnings } from './metainfo-values'
import { dedupe, text } from './metainfo-values'

const TRACKER_PROTOCOLS = new Set(TRACKER_URL_PROTOCOLS)
const WEB_SEED_PROTOCOLS = new Set(['http:', 'https:'])

/** The URL, trimmed, if it is a tracker we can announce to; otherwise null. */
export function trackerUrl(s: string): string | null {
  return checkedUrl(s, TRACKER_PROTOCOLS)
}

/** The URL, trimmed, if it is a usable web seed (BEP 19); otherwise null. */
export function webSeedUrl(s: string): string | null {
  return checkedUrl(s, WEB_SEED_PROTOCOLS)
}

function checkedUrl(s: string, protocols: Set<string>): string | null {
  const t = s.trim()
  // The URL parser quietly drops tabs and newlines; a URL that holds them is not taken at all.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f]/.test(t)) return null
  const url = URL.parse(t)
  return url && protocols.has(url.protocol) && url.hostname !== '' ? t : null
}

export interface MagnetParts {
  infoHash: string
  name?: string | null
  trackers?: readonly string[]
  webSeeds?: readonly string[]
  peers?: readonly string[]
}

/** A magnet link in one stable shape: xt, dn, then every tr, ws and x.pe, percent-encoded. */
export function buildMagnetURI(parts: MagnetParts): string {
  const params = [`xt=urn:btih:${parts.infoHash}`]
  if (parts.name) params.push(`dn=${encodeURIComponent(parts.name)}`)
  for (const t of parts.trackers ?? []) params.push(`tr=${encodeURIComponent(t)}`)
  for (const w of parts.webSeeds ?? []) params.push(`ws=${encodeURIComponent(w)}`)
  for (const p of parts.peers ?? []) params.push(`x.pe=${encodeURIComponent(p)}`)
  return `magnet:?${params.join('&')}`
}

export function readAnnounce(top: BDict, warnings: Warnings): string | null {
  const v = top.get('announce')
  if (!(v instanceof Uint8Array)) return null
  const s = text(v)
  return s.trim() === '' ? null : (keepUrl(s, trackerUrl, 'tracker', warnings)[0] ?? null)
}

export function readAnnounceList(top: BDict, warnings: Warnings): string[][] {
  const v = top.get('announce-list')
  if (!Array.isArray(v)) return []
  const seen = new Set<string>()
  const tiers: string[][] = []
  for (const tier of v) {
    if (!Array.isArray(tier)) continue
    const kept: string[] = []
    for (const entry of tier) {
      if (!(entry instanceof Uint8Array)) continue
      for (const url of keepUrl(text(entry), trackerUrl, 'tracker', warnings)) {
        if (!seen.has(url)) kept.push(url)
        seen.add(url)
      }
    }
    if (kept.length > 0) tiers.push(kept)
  }
  return tiers
}

export function readUrlList(v: BValue | undefined, warnings: Warnings): string[] {
  const entries = v instanceof Uint8Array ? [v] : Array.isArray(v) ? v : []
  const urls = entries.flatMap((e) => {
    if (!(e instanceof Uint8Array)) return []
    const s = text(e)
    // An empty url-list string is a common way of saying "none".
    return s.trim() === '' ? [] : keepUrl(s, webSeedUrl, 'web seed', warnings)
  })
  return dedupe(urls)
}

export function keepUrl(
  s: string,
  check: (s: string) => string | null,
  what: string,
  warnings: Warnings,
): string[] {
  const url = check(s)
  if (url === null) warnings.add(`ignored ${what} "${s}": not a supported URL`)
  return url === null ? [] : [url]
}
