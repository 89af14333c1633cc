/**
 * A torrent's tracker tiers and web seeds as users edit them: the text form (one URL a line, a blank
 * line between tiers) the UI and the CLI share, and the clean-up every edit goes through. Pure and free
 * of zod, so the renderer can load it.
 */
import { isUrlOf } from './tracker-url'

/**
 * The most web seeds (BEP 19) a torrent uses, from every source: the .torrent's url-list, a magnet's
 * `ws=`, the user's edits. Each is up to four HTTP requests at a time and a status to keep.
 */
export const MAX_WEB_SEEDS_PER_TORRENT = 10

/** Tiers from text: one URL per line, a blank line starts the next tier; spaces around a URL ignored. */
export function parseTrackerText(text: string): string[][] {
  const tiers: string[][] = [[]]
  for (const line of text.split(/\r?\n/)) {
    const url = line.trim()
    if (url !== '') tiers[tiers.length - 1]!.push(url)
    else if (tiers[tiers.length - 1]!.length > 0) tiers.push([])
  }
  return tiers.filter((t) => t.length > 0)
}

export function formatTrackerText(tiers: readonly (readonly string[])[]): string {
  return tiers.map((t) => t.join('\n')).join('\n\n')
}

/** Each URL once (where it first appears), no empty tier, tiers in their order. */
export function dedupeTiers(tiers: readonly (readonly string[])[]): string[][] {
  const seen = new Set<string>()
  return tiers
    .map((tier) => tier.filter((url) => !seen.has(url) && Boolean(seen.add(url))))
    .filter((tier) => tier.length > 0)
}

const WEB_SEED_PROTOCOLS: readonly string[] = ['http:', 'https:']

/** True for a web seed we can fetch from (BEP 19): http or https, a host, no control characters. */
export function isWebSeedUrl(s: string): boolean {
  return isUrlOf(s, WEB_SEED_PROTOCOLS)
}

