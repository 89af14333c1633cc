/**
 * Reading bencoded meta-info values as the decoder needs them: text (UTF-8, `.utf-8` variants first),
 * one-line type errors, optional dates, and a bounded list of warnings. Shared by metainfo.ts and
 * metainfo-urls.ts.
 */
import type { BDict, BValue } from './bencode'
import { escapeInvisible } from '@shared/format'

export class MetaInfoError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MetaInfoError'
  }
}

/** Past this many, warnings are summarised: a hostile torrent could otherwise produce millions. */
const MAX_WARNINGS = 100

/** Creation dates outside years 1970 to 9999 are treated as absent rather than guessed at. */
export function readDate(v: BValue | undefined): string | null {
  if (typeof v !== 'number' || v < 0 || v > 253_402_300_799) return null
  return new Date(v * 1000).toISOString()
}

export function optionalText(dict: BDict, key: string): string | null {
  const utf8 = dict.get(`${key}.utf-8`)
  const v = utf8 instanceof Uint8Array ? utf8 : dict.get(key)
  return v instanceof Uint8Array ? text(v) : null
}

export function requiredText(dict: BDict, key: string, where: string): string {
  const v = optionalText(dict, key)
  if (v === null) throw wrongType(where, dict.get(key), 'a string')
  return v
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })

/** UTF-8, with invalid sequences replaced by U+FFFD. */
export function text(b: Uint8Array): string {
  return utf8Decoder.decode(b)
}

export function isStringList(v: BValue | undefined): v is Uint8Array[] {
  return Array.isArray(v) && v.every((x) => x instanceof Uint8Array)
}

export function wrongType(where: string, v: BValue | undefined, expected: string): MetaInfoError {
  const actual =
    v === undefined
      ? 'missing'
      : typeof v === 'number'
        ? 'an integer'
        : v instanceof Uint8Array
          ? 'a string'
          : Array.isArray(v)
            ? 'a list'
            : 'a dictionary'
  return new MetaInfoError(
    `invalid torrent: ${where} is ${actual}${v === undefined ? '' : `, not ${expected}`}`,
  )
}

export function dedupe(list: string[]): string[] {
  return [...new Set(list)]
}

export class Warnings {
  private readonly lines: string[] = []
  private dropped = 0

  /** Lines quote raw names, so invisible characters are shown as escapes. */
  add(line: string): void {
    if (this.lines.length < MAX_WARNINGS) this.lines.push(escapeInvisible(line))
    else this.dropped++
  }

  list(): string[] {
    return this.dropped > 0
      ? [...this.lines, `… and ${this.dropped} more warnings`]
      : [...this.lines]
  }
}
