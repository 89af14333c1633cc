import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { BencodeError, MAX_DEPTH, decode, encode } from './bencode'

const b = (s: string): Uint8Array => new TextEncoder().encode(s)
const text = (v: unknown): string => new TextDecoder().decode(v as Uint8Array)

function rejects(input: string | Uint8Array, reason: RegExp): void {
  const bytes = typeof input === 'string' ? b(input) : input
  expect(() => decode(bytes)).toThrow(BencodeError)
  expect(() => decode(bytes)).toThrow(reason)
}

describe('decode', () => {
  it('decodes integers, strings, lists and dictionaries', () => {
    expect(decode(b('i42e')).value).toBe(42)
    expect(decode(b('i-7e')).value).toBe(-7)
    expect(decode(b('i0e')).value).toBe(0)
    expect(text(decode(b('4:spam')).value)).toBe('spam')
    expect(decode(b('0:')).value).toEqual(new Uint8Array())
    const list = decode(b('li1ei2ee')).value
    expect(list).toEqual([1, 2])
    const dict = decode(b('d3:bari1e3:fooli2eee')).value
    expect(dict).toBeInstanceOf(Map)
    expect((dict as Map<string, unknown>).get('bar')).toBe(1)
    expect((dict as Map<string, unknown>).get('foo')).toEqual([2])
  })

  it('keeps strings as bytes, including invalid UTF-8', () => {
    const v = decode(new Uint8Array([0x32, 0x3a, 0xff, 0xfe])).value
    expect(v).toEqual(new Uint8Array([0xff, 0xfe]))
  })

  it('accepts the largest safe integer and rejects one past it', () => {
    expect(decode(b(`i${Number.MAX_SAFE_INTEGER}e`)).value).toBe(Number.MAX_SAFE_INTEGER)
    expect(decode(b(`i-${Number.MAX_SAFE_INTEGER}e`)).value).toBe(-Number.MAX_SAFE_INTEGER)
    rejects(`i${Number.MAX_SAFE_INTEGER + 1}e`, /integer is too large at byte 1/)
    rejects('i12345678901234567890e', /integer is too large/)
  })

  it.each([
    ['i03e', /integer has a leading zero at byte 1/],
    ['i-03e', /integer has a leading zero at byte 2/],
    ['i00e', /leading zero/],
    ['i-0e', /integer is negative zero at byte 0/],
    ['ie', /integer has no digits at byte 1/],
    ['i-e', /integer has no digits at byte 2/],
    ['i+3e', /integer has no digits at byte 1/],
    ['i3', /integer is not terminated by "e" at byte 2/],
    ['i3.5e', /not terminated/],
    ['i 3e', /no digits/],
  ])('rejects the non-canonical integer %s', (input, reason) => rejects(input, reason))

  it.each([
    ['03:abc', /string length has a leading zero at byte 0/],
    ['5:abc', /string of 5 bytes runs past the end of the input at byte 0/],
    ['3abc', /string length is not followed by ":" at byte 1/],
    ['99999999999999999:a', /string length is too large/],
  ])('rejects the bad string %s', (input, reason) => rejects(input, reason))

  it('rejects input that is not bencode at all', () => {
    rejects('', /empty input at byte 0/)
    rejects('hello', /unexpected byte 0x68 at byte 0/)
    rejects('<html>', /unexpected byte 0x3c/)
    rejects('l', /list is not terminated at byte 1/)
    rejects('d', /dictionary is not terminated at byte 1/)
    rejects('d3:foo', /unexpected end of input at byte 6/)
  })

  it('rejects trailing data after the top-level value, with its offset', () => {
    rejects('i1ei2e', /trailing data after the top-level value at byte 3/)
    rejects('de\n', /trailing data after the top-level value at byte 2/)
  })

  it('rejects dictionary keys that are not strings', () => {
    rejects('di1ei2ee', /dictionary key is not a string at byte 1/)
    rejects('dli1ee1:ae', /dictionary key is not a string/)
  })

  it('rejects duplicate keys, sorted or not', () => {
    rejects('d1:ai1e1:ai2ee', /duplicate dictionary key "a" at byte 7/)
    rejects('d1:bi1e1:ai1e1:bi2ee', /duplicate dictionary key "b"/)
  })

  it('accepts unsorted keys', () => {
    const v = decode(b('d1:bi1e1:ai2ee')).value as Map<string, unknown>
    expect([...v.keys()]).toEqual(['b', 'a'])
  })

  it(`accepts nesting of exactly ${MAX_DEPTH} levels and rejects ${MAX_DEPTH + 1}`, () => {
    const nested = (n: number): string => 'l'.repeat(n) + 'e'.repeat(n)
    expect(() => decode(b(nested(MAX_DEPTH)))).not.toThrow()
    rejects(
      nested(MAX_DEPTH + 1),
      new RegExp(`nesting is deeper than ${MAX_DEPTH} levels at byte ${MAX_DEPTH}`),
    )
    // Deep enough to overflow the stack if the limit were missing.
    rejects(nested(100_000), /nesting is deeper/)
  })

  it('gives the exact bytes of a top-level value, even with unsorted keys', () => {
    // "info" holds unsorted keys and a non-UTF-8 name: re-encoding would change its hash.
    const infoRaw = 'd4:name2:\xff\xfe12:piece lengthi16384e6:lengthi1ee'
    const bytes = Buffer.from(`d8:announce3:url4:info${infoRaw}e`, 'latin1')
    const decoded = decode(bytes)
    const raw = decoded.rawValue('info')
    expect(Buffer.from(raw as Uint8Array).toString('latin1')).toBe(infoRaw)
    const sha = (x: Uint8Array): string => createHash('sha1').update(x).digest('hex')
    expect(sha(raw as Uint8Array)).toBe(sha(Buffer.from(infoRaw, 'latin1')))
    expect(sha(raw as Uint8Array)).not.toBe(sha(encode(decoded.value) as Uint8Array))
    expect(decoded.rawValue('missing')).toBeUndefined()
  })

  it('has no raw spans for nested keys or a non-dictionary top level', () => {
    const decoded = decode(b('d1:ad4:infoi1eee'))
    expect(decoded.rawValue('info')).toBeUndefined()
    expect(decode(b('l4:infoe')).rawValue('info')).toBeUndefined()
  })
})

describe('encode', () => {
  it('writes canonical bencode with keys sorted bytewise', () => {
    const out = encode({ b: 1, a: 'x', c: [1, 'y'], skipped: undefined, n: new Uint8Array([0xff]) })
    expect(Buffer.from(out).toString('latin1')).toBe('d1:a1:x1:bi1e1:cli1e1:ye1:n1:\xffe')
  })

  it('round-trips through decode', () => {
    const input = b('d1:ai-5e1:bl0:d1:xi0eeee')
    expect(encode(decode(input).value)).toEqual(input)
  })

  it('refuses numbers that are not safe integers', () => {
    expect(() => encode(1.5)).toThrow(/not a safe integer/)
    expect(() => encode(2 ** 53)).toThrow(/not a safe integer/)
  })
})
