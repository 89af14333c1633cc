/**
 * Parses a magnet link (BEP 9) or a bare v1 info hash, strictly: one v1 info hash, and only
 * trackers, web seeds and peers we could actually use.
 */
import type { MagnetInfo } from '@shared/api'
import { MAX_PORT } from '@shared/limits'
import { MAX_TRACKERS_PER_TORRENT } from '@shared/tracker-url'
import { MAX_WEB_SEEDS_PER_TORRENT } from '@shared/tracker-list'
import { MetaInfoError, buildMagnetURI, trackerUrl, webSeedUrl } from './metainfo'

const HEX_HASH = /^[0-9a-f]{40}$/i
const BASE32_HASH = /^[a-z2-7]{32}$/i
/** Magnet links can number repeated keys (`tr.1`, `xt.2`); the number carries no meaning here. */
const NUMBERED_KEY = /^(xt|tr|ws|x\.pe|dn)(\.\d+)?$/
/** As many `x.pe` peers as the stack takes from one tracker reply; more are a flood, not a hint. */
export const MAX_MAGNET_PEERS = 200
/** Files a magnet's `so=` may select: enough for any real torrent, bounded against `so=0-4294967295`. */
export const MAX_SELECT_ONLY = 10_000

export function parseTorrentLink(input: string): MagnetInfo {
  const s = input.trim()
  const bare = infoHashOf(s)
  if (bare !== null)
    return magnetInfo({ infoHash: bare, name: null, trackers: [], webSeeds: [], peers: [] })
  if (!/^magnet:\?/i.test(s)) {
    throw new MetaInfoError('not a magnet link or info hash (40 hex or 32 base32 characters)')
  }

  const values = new Map<string, string[]>()
  for (const [rawKey, value] of new URLSearchParams(s.slice('magnet:?'.length))) {
    const key = NUMBERED_KEY.exec(rawKey)?.[1]
    if (key !== undefined) values.set(key, [...(values.get(key) ?? []), value])
  }

  const xts = values.get('xt') ?? []
  const v1 = xts.filter((x) => /^urn:btih:/i.test(x))
  if (v1.length === 0) {
    throw new MetaInfoError(
      xts.some((x) => /^urn:btmh:/i.test(x))
        ? 'v2-only magnet links are not yet supported'
        : 'magnet link has no BitTorrent info hash (xt=urn:btih:…)',
    )
  }
  if (v1.length > 1) throw new MetaInfoError('magnet link has more than one xt=urn:btih: info hash')
  const infoHash = infoHashOf((v1[0] as string).slice('urn:btih:'.length))
  if (infoHash === null) {
    throw new MetaInfoError('magnet link has an invalid info hash (40 hex or 32 base32 characters)')
  }

  const keep = (key: string, check: (v: string) => string | null): string[] => [
    ...new Set((values.get(key) ?? []).flatMap((v) => check(v) ?? [])),
  ]
  const name = values.get('dn')?.[0]?.trim()
  return magnetInfo({
    infoHash,
    name: name ? name : null,
    // The first trackers only: each is a connection, and a link can carry thousands of `tr=`.
    trackers: keep('tr', trackerUrl).slice(0, MAX_TRACKERS_PER_TORRENT),
    webSeeds: keep('ws', webSeedUrl).slice(0, MAX_WEB_SEEDS_PER_TORRENT),
    peers: keep('x.pe', peerAddress).slice(0, MAX_MAGNET_PEERS),
  })
}

function magnetInfo(m: Omit<MagnetInfo, 'magnetURI'>): MagnetInfo {
  return { ...m, magnetURI: buildMagnetURI(m) }
}

/** Lowercase hex of a 40-hex or 32-base32 info hash; null when it is neither. */
function infoHashOf(s: string): string | null {
  if (HEX_HASH.test(s)) return s.toLowerCase()
  if (BASE32_HASH.test(s)) return base32ToHex(s)
  return null
}

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'

function base32ToHex(s: string): string {
  let bits = 0
  let value = 0
  let hex = ''
  for (const c of s.toLowerCase()) {
    value = (value << 5) | BASE32_ALPHABET.indexOf(c)
    bits += 5
    while (bits >= 4) {
      bits -= 4
      hex += ((value >> bits) & 0xf).toString(16)
    }
    value &= (1 << bits) - 1
  }
  return hex
}

/** `host:port` or `[v6]:port` with a port from 1 to MAX_PORT; anything else is not a usable peer. */
function peerAddress(s: string): string | null {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):(\d{1,5})$/i.exec(s.trim())
  if (!m) return null
  const port = Number(m[2])
  return port >= 1 && port <= MAX_PORT ? `${m[1]}:${port}` : null
}

/**
 * The file indices of a magnet link's `so=` (BEP 53: `so=0,2,4-6`, zero-based, possibly repeated),
 * sorted and unique, at most MAX_SELECT_ONLY of them; null when it selects nothing. Malformed items are
 * skipped: the selection is a hint, not a reason to refuse the link.
 */
export function parseSelectOnly(input: string): number[] | null {
  const s = input.trim()
  if (!/^magnet:\?/i.test(s)) return null
  const chosen = new Set<number>()
  for (const [key, value] of new URLSearchParams(s.slice('magnet:?'.length))) {
    if (!/^so(\.\d+)?$/.test(key)) continue
    for (const item of value.split(',')) {
      const m = /^\s*(\d{1,10})(?:-(\d{1,10}))?\s*$/.exec(item)
      if (!m) continue
      const first = Number(m[1])
      const last = m[2] === undefined ? first : Number(m[2])
      for (let i = first; i <= last && chosen.size < MAX_SELECT_ONLY; i++) chosen.add(i)
    }
  }
  return chosen.size > 0 ? [...chosen].sort((a, b) => a - b) : null
}
