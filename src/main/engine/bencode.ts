/**
 * A strict bencode decoder (and a small canonical encoder).
 *
 * Hand-written because the info hash must be the SHA-1 of the exact bytes of the stored `info`
 * dictionary, never of a re-encoding, and because non-canonical input must be rejected rather
 * than silently normalised (which would change the info hash). Unsorted dictionary keys are the
 * one laxity: real torrents have them, and the exact-bytes span keeps their hash right.
 */

/** Dictionary keys are byte strings; they are held as latin1 strings so every byte maps to one char. */
export type BDict = Map<string, BValue>
export type BValue = number | Uint8Array | BValue[] | BDict

/** Nesting deeper than this is rejected: no real torrent comes close, and it bounds the recursion. */
export const MAX_DEPTH = 100

export class BencodeError extends Error {
  constructor(
    reason: string,
    readonly offset: number,
  ) {
    super(`${reason} at byte ${offset}`)
    this.name = 'BencodeError'
  }
}

export interface Decoded {
  value: BValue
  /** The exact bytes of a top-level dictionary's value, e.g. `rawValue('info')`. */
  rawValue(key: string): Uint8Array | undefined
}

const CH_I = 0x69
const CH_L = 0x6c
const CH_D = 0x64
const CH_E = 0x65
const CH_COLON = 0x3a
const CH_MINUS = 0x2d
const CH_0 = 0x30
const CH_9 = 0x39

export function decode(bytes: Uint8Array): Decoded {
  const spans = new Map<string, [number, number]>()
  let pos = 0

  const isDigit = (c: number | undefined): boolean => c !== undefined && c >= CH_0 && c <= CH_9

  // Reads the digits of a non-negative decimal, enforcing no leading zeros and a safe size.
  const readDigits = (what: string): number => {
    const start = pos
    while (isDigit(bytes[pos])) pos++
    if (pos === start) throw new BencodeError(`${what} has no digits`, start)
    if (bytes[start] === CH_0 && pos - start > 1) {
      throw new BencodeError(`${what} has a leading zero`, start)
    }
    // 16 digits can exceed 2^53; checking the digit count first keeps the parse exact.
    if (pos - start > 16) throw new BencodeError(`${what} is too large`, start)
    let n = 0
    for (let i = start; i < pos; i++) n = n * 10 + ((bytes[i] as number) - CH_0)
    if (n > Number.MAX_SAFE_INTEGER) throw new BencodeError(`${what} is too large`, start)
    return n
  }

  const readInt = (): number => {
    const start = pos
    pos++ // 'i'
    let negative = false
    if (bytes[pos] === CH_MINUS) {
      negative = true
      pos++
    }
    const n = readDigits('integer')
    if (negative && n === 0) throw new BencodeError('integer is negative zero', start)
    if (bytes[pos] !== CH_E) throw new BencodeError('integer is not terminated by "e"', pos)
    pos++
    return negative ? -n : n
  }

  const readString = (): Uint8Array => {
    const start = pos
    const length = readDigits('string length')
    if (bytes[pos] !== CH_COLON) throw new BencodeError('string length is not followed by ":"', pos)
    pos++
    if (length > bytes.length - pos) {
      throw new BencodeError(`string of ${length} bytes runs past the end of the input`, start)
    }
    const s = bytes.subarray(pos, pos + length)
    pos += length
    return s
  }

  const readValue = (depth: number): BValue => {
    const c = bytes[pos]
    if (c === undefined) throw new BencodeError('unexpected end of input', pos)
    if (c === CH_I) return readInt()
    if (isDigit(c)) return readString()
    if (c === CH_L || c === CH_D) {
      if (depth >= MAX_DEPTH) {
        throw new BencodeError(`nesting is deeper than ${MAX_DEPTH} levels`, pos)
      }
      return c === CH_L ? readList(depth + 1) : readDict(depth + 1)
    }
    throw new BencodeError(`unexpected byte 0x${c.toString(16).padStart(2, '0')}`, pos)
  }

  const readList = (depth: number): BValue[] => {
    pos++ // 'l'
    const list: BValue[] = []
    while (bytes[pos] !== CH_E) {
      if (pos >= bytes.length) throw new BencodeError('list is not terminated', pos)
      list.push(readValue(depth))
    }
    pos++
    return list
  }

  const readDict = (depth: number): BDict => {
    pos++ // 'd'
    const dict: BDict = new Map()
    while (bytes[pos] !== CH_E) {
      if (pos >= bytes.length) throw new BencodeError('dictionary is not terminated', pos)
      const keyAt = pos
      if (!isDigit(bytes[pos])) throw new BencodeError('dictionary key is not a string', pos)
      const key = latin1(readString())
      if (dict.has(key))
        throw new BencodeError(`duplicate dictionary key "${printable(key)}"`, keyAt)
      const valueAt = pos
      dict.set(key, readValue(depth))
      if (depth === 1) spans.set(key, [valueAt, pos])
    }
    pos++
    return dict
  }

  if (bytes.length === 0) throw new BencodeError('empty input', 0)
  const value = readValue(0)
  if (pos !== bytes.length) throw new BencodeError('trailing data after the top-level value', pos)
  const isTopDict = value instanceof Map

  return {
    value,
    rawValue(key) {
      const span = isTopDict ? spans.get(key) : undefined
      return span && bytes.subarray(span[0], span[1])
    },
  }
}

function latin1(b: Uint8Array): string {
  let s = ''
  for (const byte of b) s += String.fromCharCode(byte)
  return s
}

/** Keys can hold any bytes; keep error messages to one readable line. */
function printable(key: string): string {
  const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key
  return shown.replace(/[^\x20-\x7e…]/g, '?')
}

/** What `encode` accepts: JS strings are written as UTF-8, object keys are sorted bytewise. */
export type Encodable =
  | number
  | string
  | Uint8Array
  | readonly Encodable[]
  | ReadonlyMap<string, Encodable>
  | { readonly [key: string]: Encodable | undefined }

const utf8 = new TextEncoder()

/** Canonical bencode: sorted keys, integers only. `undefined` object values are left out. */
export function encode(value: Encodable): Uint8Array {
  const parts: Uint8Array[] = []
  const ascii = (s: string): void => {
    parts.push(utf8.encode(s))
  }
  const bytesOf = (b: Uint8Array): void => {
    ascii(`${b.length}:`)
    parts.push(b)
  }
  const walk = (v: Encodable): void => {
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new TypeError(`cannot bencode ${v}: not a safe integer`)
      ascii(`i${v}e`)
    } else if (typeof v === 'string') {
      bytesOf(utf8.encode(v))
    } else if (v instanceof Uint8Array) {
      bytesOf(v)
    } else if (Array.isArray(v)) {
      ascii('l')
      for (const item of v as readonly Encodable[]) walk(item)
      ascii('e')
    } else {
      // Map keys are latin1 byte strings (as `decode` yields); object keys are text, so UTF-8.
      const entries: [Uint8Array, Encodable][] =
        v instanceof Map
          ? [...(v as ReadonlyMap<string, Encodable>)].map(([k, x]) => [latin1Bytes(k), x])
          : Object.entries(v as { readonly [key: string]: Encodable | undefined }).flatMap(
              ([k, x]): [Uint8Array, Encodable][] => (x === undefined ? [] : [[utf8.encode(k), x]]),
            )
      entries.sort((a, b) => compareBytes(a[0], b[0]))
      ascii('d')
      for (const [k, x] of entries) {
        bytesOf(k)
        walk(x)
      }
      ascii('e')
    }
  }
  walk(value)
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function latin1Bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff
  return b
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number)
    if (d !== 0) return d
  }
  return a.length - b.length
}
