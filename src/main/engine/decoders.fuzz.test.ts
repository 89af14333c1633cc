/**
 * Property tests of the decoders that read untrusted bytes (bencode, .torrent meta-info, magnet links):
 * whatever the input, they either return a value or throw their own typed error, never anything else,
 * never hang, and what they accept round-trips. Each property is bounded in runs and time.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BencodeError, decode, encode, MAX_DEPTH } from './bencode'
import type { Encodable } from './bencode'
import { parseTorrentLink } from './magnet'
import { decodeInfoDictionary, decodeTorrentFile, MetaInfoError } from './metainfo'
import { resolveInside } from './safe-path'

/** SEEDLING_FUZZ_RUNS raises the run count for a long fuzzing session; the time cap still holds. */
const BUDGET = {
  numRuns: Number(process.env.SEEDLING_FUZZ_RUNS ?? 400),
  interruptAfterTimeLimit: Number(process.env.SEEDLING_FUZZ_MS ?? 4_000),
} as const

/** Arbitrary bencodable values, with keys and strings that include every byte. */
const bvalue: fc.Arbitrary<Encodable> = fc.letrec<{ v: Encodable }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('v'), { maxLength: 5 }),
    fc
      .dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 5 })
      .map((o) => new Map(Object.entries(o))),
  ),
})).v

/** Bytes that look like bencode: mostly its own alphabet, so the decoder goes deep before failing. */
const bencodeish = fc
  .array(fc.constantFrom(...'ide0123456789:-le'.split(''), 'd4:infod', '4:name', 'i-0e', 'i03e'), {
    maxLength: 80,
  })
  .map((parts) => new TextEncoder().encode(parts.join('')))

function mutate(bytes: Uint8Array, edits: Array<[number, number]>): Uint8Array {
  const out = Uint8Array.from(bytes)
  for (const [at, byte] of edits) if (out.length > 0) out[at % out.length] = byte
  return out
}

function onlyOwnErrors(
  fn: () => unknown,
  ...allowed: Array<abstract new (...a: never[]) => Error>
) {
  try {
    fn()
  } catch (err) {
    if (!allowed.some((type) => err instanceof type)) throw err
  }
}

describe('bencode decoder under arbitrary input', () => {
  it('canonical encodings decode to the same bytes again', () => {
    fc.assert(
      fc.property(bvalue, (v) => {
        const bytes = encode(v)
        expect(encode(decode(bytes).value as Encodable)).toEqual(bytes)
      }),
      BUDGET,
    )
  })

  it('random and bencode-like bytes only ever throw BencodeError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), bencodeish), (bytes) => {
        onlyOwnErrors(() => decode(bytes), BencodeError)
      }),
      BUDGET,
    )
  })

  it('single-byte mutations of valid encodings only ever throw BencodeError', () => {
    fc.assert(
      fc.property(
        bvalue,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 3,
        }),
        (v, edits) => onlyOwnErrors(() => decode(mutate(encode(v), edits)), BencodeError),
      ),
      BUDGET,
    )
  })

  it('nesting far past the limit is refused without exhausting the stack', () => {
    const deep = new TextEncoder().encode('l'.repeat(200_000) + 'e'.repeat(200_000))
    expect(() => decode(deep)).toThrow(BencodeError)
    expect(() =>
      decode(new TextEncoder().encode('l'.repeat(MAX_DEPTH + 1) + 'e'.repeat(MAX_DEPTH + 1))),
    ).toThrow(/deeper than/)
  })
})

/** A valid single- or multi-file .torrent whose fields fast-check picks, names included. */
const torrentFields = fc.record({
  name: fc.string({ minLength: 1, maxLength: 30 }),
  pieceLength: fc.constantFrom(16_384, 32_768, 262_144),
  files: fc.array(
    fc.record({
      path: fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }),
      length: fc.integer({ min: 0, max: 100_000 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  announce: fc.option(fc.webUrl(), { nil: undefined }),
  comment: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  private: fc.option(fc.constantFrom(0, 1), { nil: undefined }),
})

type TorrentFields = typeof torrentFields extends fc.Arbitrary<infer T> ? T : never

function torrentBytes(f: TorrentFields): Uint8Array {
  const total = f.files.reduce((n, x) => n + x.length, 0)
  const pieces = new Uint8Array(20 * Math.max(1, Math.ceil(total / f.pieceLength)))
  return encode({
    announce: f.announce,
    comment: f.comment,
    info: {
      name: f.name,
      'piece length': f.pieceLength,
      pieces,
      files: f.files.map((x) => ({ length: x.length, path: x.path })),
      private: f.private,
    },
  })
}

describe('meta-info decoder under arbitrary input', () => {
  it('every path it accepts, hostile names included, stays inside the download folder', () => {
    let accepted = 0
    fc.assert(
      fc.property(torrentFields, (fields) => {
        let decoded
        try {
          decoded = decodeTorrentFile(torrentBytes(fields), { platform: 'linux' })
        } catch (err) {
          if (err instanceof MetaInfoError) return
          throw err
        }
        accepted++
        const root = '/downloads'
        for (const file of decoded.files) {
          expect(() => resolveInside(root, file.segments)).not.toThrow()
          expect(file.segments).not.toContain('..')
        }
      }),
      BUDGET,
    )
    // Most generated torrents are valid: the property must have checked real paths, not only errors.
    expect(accepted).toBeGreaterThan(BUDGET.numRuns / 2)
  })

  it('mutated .torrent files only ever throw MetaInfoError', () => {
    fc.assert(
      fc.property(
        torrentFields,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (fields, edits) => {
          const bytes = mutate(torrentBytes(fields), edits)
          onlyOwnErrors(() => decodeTorrentFile(bytes, { platform: 'win32' }), MetaInfoError)
          onlyOwnErrors(() => decodeInfoDictionary(bytes, {}, { platform: 'linux' }), MetaInfoError)
        },
      ),
      BUDGET,
    )
  })

  it('arbitrary bencoded values as a .torrent only ever throw MetaInfoError', () => {
    fc.assert(
      fc.property(bvalue, (v) => onlyOwnErrors(() => decodeTorrentFile(encode(v)), MetaInfoError)),
      BUDGET,
    )
  })
})

describe('magnet parser under arbitrary input', () => {
  const magnetish = fc
    .array(
      fc.tuple(
        fc.constantFrom('xt', 'tr', 'ws', 'x.pe', 'dn', 'so', 'xt.1', 'tr.2', 'foo'),
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.constantFrom(
            'urn:btih:' + 'a'.repeat(40),
            'urn:btih:' + 'B'.repeat(32),
            'urn:btmh:1220aa',
          ),
          fc.webUrl(),
        ),
      ),
      { maxLength: 12 },
    )
    .map((pairs) => 'magnet:?' + pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'))

  it('any string, magnet-like or not, only ever throws MetaInfoError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), magnetish), (input) =>
        onlyOwnErrors(() => parseTorrentLink(input), MetaInfoError),
      ),
      BUDGET,
    )
  })
})
