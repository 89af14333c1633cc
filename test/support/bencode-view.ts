/**
 * A friendlier view of `src/main/engine/bencode.ts`'s decoded values for tests: dictionaries as
 * plain objects (keys stay latin1, as decoded; torrent keys are ASCII) and strings as bytes, the
 * shape other bencode libraries hand out and `encode` accepts back.
 */
import { decode } from '../../src/main/engine/bencode'
import type { BValue } from '../../src/main/engine/bencode'

export type Plain = number | Uint8Array | Plain[] | { [key: string]: Plain }

export function plain(value: BValue): Plain {
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [k, plain(v)]))
  }
  if (Array.isArray(value)) return value.map(plain)
  return value
}

/** Decodes `bytes` strictly and returns the top-level dictionary as a plain object. */
export function decodeDict(bytes: Uint8Array): { [key: string]: Plain } {
  const value = plain(decode(bytes).value)
  if (typeof value !== 'object' || value instanceof Uint8Array || Array.isArray(value)) {
    throw new Error('not a bencoded dictionary')
  }
  return value
}

const utf8 = new TextDecoder()

/** A bencoded byte string as text (UTF-8, as torrents write names and paths). */
export function text(value: Plain | undefined): string {
  if (!(value instanceof Uint8Array)) throw new Error('not a bencoded string')
  return utf8.decode(value)
}
