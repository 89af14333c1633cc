/**
 * Labels a user gives torrents to sort them, as qBittorrent has them: one category and any number of
 * tags per torrent. Pure and free of zod, so the renderer can load it: the same checks run in the
 * dialog (to say what is wrong before sending) and at the API boundary (schema.ts).
 */
import { UNSHOWABLE_CHARS } from './unshowable'

export const MAX_LABEL_LENGTH = 64
export const MAX_TAGS_PER_TORRENT = 20

// What could disguise a label in the list, and the comma that separates tags where they are typed.
const FORBIDDEN = new RegExp(`[${UNSHOWABLE_CHARS},]`)

/** A label as it is kept: trimmed, inner runs of spaces made one. */
export function normalLabel(s: string): string {
  return s.trim().replace(/\s+/g, ' ')
}

/** True for a label that may be kept as it is (already normal). */
export function isLabel(s: string): boolean {
  return (
    s.length > 0 &&
    Array.from(s).length <= MAX_LABEL_LENGTH &&
    !FORBIDDEN.test(s) &&
    normalLabel(s) === s
  )
}

/** Tags typed as text: separated by commas, each normalized, blanks and repeats left out. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map(normalLabel)
        .filter((t) => t !== ''),
    ),
  ]
}

/** A torrent's tags after an edit: `add` joined (in order, once each), `remove` taken out. */
export function editTags(
  tags: readonly string[],
  add: readonly string[],
  remove: readonly string[],
): string[] {
  const gone = new Set(remove)
  return [...new Set([...tags, ...add])].filter((t) => !gone.has(t))
}
