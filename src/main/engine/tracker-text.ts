/**
 * Text a tracker sends us (a failure reason, a warning message) or that describes a tracker error,
 * made fit to show: a tracker chooses these bytes, so they could hold terminal escapes, bidi
 * overrides, newlines that fake extra UI lines, or kilobytes of text.
 */

import { UNSHOWABLE_CHARS } from '@shared/unshowable'

/** The most characters of tracker text shown; longer text is cut and ends with an ellipsis. */
export const MAX_TRACKER_TEXT_LENGTH = 200

const UNSHOWABLE = new RegExp(`[${UNSHOWABLE_CHARS}]+`, 'g')

// Terminal escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL/ST`, two-character `ESC x`) go
// whole: stripping only the ESC would leave their `[31m` on show.
const ESCAPES =
  // eslint-disable-next-line no-control-regex
  /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-_])|\u009b[0-?]*[ -/]*[@-~]/g

/** One line of at most MAX_TRACKER_TEXT_LENGTH characters, controls turned into spaces. */
export function trackerText(raw: unknown, max = MAX_TRACKER_TEXT_LENGTH): string {
  const text = (typeof raw === 'string' ? raw : String(raw))
    .replace(ESCAPES, ' ')
    .replace(UNSHOWABLE, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (text === '') return 'tracker error'
  const chars = Array.from(text)
  // Cut by code point so that a surrogate pair is never split in half.
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`
}
