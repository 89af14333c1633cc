import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encode } from './bencode'
import type { Encodable } from './bencode'
import { MAX_TORRENT_FILE_BYTES } from '@shared/limits'
import {
  MAX_PIECE_LENGTH,
  MetaInfoError,
  buildMagnetURI,
  decodeInfoDictionary,
  decodeTorrentFile,
} from './metainfo'
import type { DecodeOptions } from './metainfo'
import { MAX_TRACKERS_PER_TORRENT } from '@shared/schema'
import { buildTorrent } from '../../../test/support/torrent-builder'

type Dict = { [key: string]: Encodable | undefined }

const sha1 = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex')
const latin1 = (s: string): Uint8Array => Buffer.from(s, 'latin1')
/** `n` distinct fake piece hashes. */
const pieces = (n: number): Uint8Array => {
  const out = new Uint8Array(n * 20)
  for (let i = 0; i < out.length; i++) out[i] = (i * 7 + 3) & 0xff
  return out
}

function singleInfo(over: Dict = {}): Dict {
  return { name: 'file.bin', 'piece length': 16384, length: 40000, pieces: pieces(3), ...over }
}

function multiInfo(over: Dict = {}): Dict {
  return {
    name: 'album',
    'piece length': 16384,
    files: [
      { length: 20000, path: ['cd1', 'a.flac'] },
      { length: 0, path: ['empty.txt'] },
      { length: 12768, path: ['b.flac'] },
    ],
    pieces: pieces(2),
    ...over,
  }
}

const torrent = (info: Encodable, top: Dict = {}): Uint8Array =>
  encode({ announce: 'http://tracker.example/announce', ...top, info })

function rejects(bytes: Uint8Array, message: RegExp, opts?: DecodeOptions): void {
  let error: unknown
  try {
    decodeTorrentFile(bytes, opts)
  } catch (err) {
    error = err
  }
  expect(error).toBeInstanceOf(MetaInfoError)
  expect((error as Error).message).toMatch(message)
  expect((error as Error).message).not.toContain('\n')
}

describe('decodeTorrentFile: a valid single-file torrent', () => {
  const bytes = torrent(singleInfo({ private: 1 }), {
    comment: 'hello',
    'created by': 'mktorrent 1.1',
    'creation date': 1_700_000_000,
    'url-list': 'https://seed.example/file.bin',
  })
  const d = decodeTorrentFile(bytes)

  it('reads every field', () => {
    const m = d.meta
    expect(m.name).toBe('file.bin')
    expect(m.multiFile).toBe(false)
    expect(m.length).toBe(40000)
    expect(m.pieceLength).toBe(16384)
    expect(m.pieceCount).toBe(3)
    expect(m.lastPieceLength).toBe(40000 - 2 * 16384)
    expect(m.pieceHashes).toHaveLength(3)
    expect(m.pieceHashes[0]).toBe(Buffer.from(pieces(3).subarray(0, 20)).toString('hex'))
    expect(m.private).toBe(true)
    expect(m.comment).toBe('hello')
    expect(m.createdBy).toBe('mktorrent 1.1')
    expect(m.creationDate).toBe('2023-11-14T22:13:20.000Z')
    expect(m.announce).toBe('http://tracker.example/announce')
    expect(m.announceList).toEqual([['http://tracker.example/announce']])
    expect(m.urlList).toEqual(['https://seed.example/file.bin'])
    expect(m.files).toEqual([
      { path: 'file.bin', length: 40000, offset: 0, firstPiece: 0, lastPiece: 2 },
    ])
    expect(m.warnings).toEqual([])
    expect(d.files).toEqual([{ segments: ['file.bin'], length: 40000, offset: 0, pad: false }])
    expect(d.rawName).toBe('file.bin')
    expect(d.announce).toEqual(['http://tracker.example/announce'])
  })

  it('hashes the exact info bytes', () => {
    const info = encode(singleInfo({ private: 1 }))
    expect(d.infoBuffer).toEqual(info)
    expect(d.meta.infoHash).toBe(sha1(info))
    expect(Buffer.from(d.infoHashBuffer).toString('hex')).toBe(d.meta.infoHash)
    expect(d.meta.infoSize).toBe(info.length)
    expect(d.info.get('private')).toBe(1)
  })

  it('builds a magnet link with the hash, name and trackers', () => {
    expect(d.meta.magnetURI).toBe(
      `magnet:?xt=urn:btih:${d.meta.infoHash}&dn=file.bin` +
        '&tr=http%3A%2F%2Ftracker.example%2Fannounce&ws=https%3A%2F%2Fseed.example%2Ffile.bin',
    )
  })
})

describe('decodeTorrentFile: a valid multi-file torrent', () => {
  const d = decodeTorrentFile(torrent(multiInfo()))

  it('prefixes paths with the name and computes offsets and pieces', () => {
    expect(d.meta.multiFile).toBe(true)
    expect(d.meta.length).toBe(32768)
    expect(d.meta.lastPieceLength).toBe(16384)
    expect(d.meta.files).toEqual([
      { path: 'album/cd1/a.flac', length: 20000, offset: 0, firstPiece: 0, lastPiece: 1 },
      { path: 'album/empty.txt', length: 0, offset: 20000, firstPiece: 1, lastPiece: 1 },
      { path: 'album/b.flac', length: 12768, offset: 20000, firstPiece: 1, lastPiece: 1 },
    ])
    expect(d.files.map((f) => f.segments)).toEqual([
      ['album', 'cd1', 'a.flac'],
      ['album', 'empty.txt'],
      ['album', 'b.flac'],
    ])
  })

  it('clamps a zero-length file at the very end to the last piece', () => {
    const m = decodeTorrentFile(
      torrent(
        multiInfo({
          files: [
            { length: 16384, path: ['a'] },
            { length: 0, path: ['z'] },
          ],
          pieces: pieces(1),
        }),
      ),
    ).meta
    expect(m.files[1]).toMatchObject({ offset: 16384, firstPiece: 0, lastPiece: 0 })
  })

  it('hashes the exact bytes of an info dictionary with unsorted keys', () => {
    const infoRaw =
      'd4:name5:x.bin6:lengthi5e6:pieces20:' + 'p'.repeat(20) + '12:piece lengthi16384ee'
    const bytes = latin1(`d4:info${infoRaw}e`)
    const d2 = decodeTorrentFile(bytes)
    expect(d2.meta.infoHash).toBe(sha1(latin1(infoRaw)))
    // A re-encoding sorts the keys and so would hash differently.
    expect(d2.meta.infoHash).not.toBe(sha1(encode(d2.info)))
    expect(Buffer.from(d2.infoBuffer).toString('latin1')).toBe(infoRaw)
  })
})

describe('decodeTorrentFile: text fields', () => {
  it('prefers name.utf-8 and path.utf-8', () => {
    const m = decodeTorrentFile(
      torrent(
        multiInfo({
          name: latin1('\xe9t\xe9'),
          'name.utf-8': 'été',
          files: [{ length: 32768, path: [latin1('\xff')], 'path.utf-8': ['ünï'] }],
        }),
      ),
    ).meta
    expect(m.name).toBe('été')
    expect(m.files[0]?.path).toBe('été/ünï')
  })

  it('replaces invalid UTF-8 with U+FFFD', () => {
    const m = decodeTorrentFile(torrent(singleInfo({ name: latin1('a\xffb') }))).meta
    expect(m.name).toBe('a\ufffdb')
  })

  it('treats an out-of-range or mistyped creation date as absent', () => {
    const date = (v: Encodable): string | null =>
      decodeTorrentFile(torrent(singleInfo(), { 'creation date': v })).meta.creationDate
    expect(date(0)).toBe('1970-01-01T00:00:00.000Z')
    expect(date(-1)).toBeNull()
    expect(date(9_000_000_000_000)).toBeNull()
    expect(date('2020')).toBeNull()
  })

  it('leaves absent optional fields null or empty', () => {
    const m = decodeTorrentFile(encode({ info: singleInfo() })).meta
    expect(m).toMatchObject({
      announce: null,
      announceList: [],
      urlList: [],
      comment: null,
      createdBy: null,
      creationDate: null,
      private: false,
    })
    expect(m.magnetURI).toBe(`magnet:?xt=urn:btih:${m.infoHash}&dn=file.bin`)
  })
})

describe('decodeTorrentFile: trackers and web seeds', () => {
  it('cleans the announce-list: empty tiers, non-strings, duplicates, other schemes', () => {
    const d = decodeTorrentFile(
      torrent(singleInfo(), {
        announce: 'udp://ignored.example:80',
        'announce-list': [
          ['udp://a.example:6969', 'http://b.example/announce', 'udp://a.example:6969'],
          [],
          [42, ['nested']],
          ['wss://c.example', 'not a url', 'ftp://d.example/'],
          ['http://b.example/announce'],
          ['https://e.example/a', 'ws://f.example'],
        ],
      }),
    )
    expect(d.meta.announceList).toEqual([
      ['udp://a.example:6969', 'http://b.example/announce'],
      ['wss://c.example'],
      ['https://e.example/a', 'ws://f.example'],
    ])
    expect(d.meta.announce).toBe('udp://ignored.example:80')
    expect(d.announce).toEqual([
      'udp://a.example:6969',
      'http://b.example/announce',
      'wss://c.example',
      'https://e.example/a',
      'ws://f.example',
    ])
    expect(d.meta.warnings).toEqual([
      'ignored tracker "not a url": not a supported URL',
      'ignored tracker "ftp://d.example/": not a supported URL',
    ])
  })

  it(`announces to the first ${MAX_TRACKERS_PER_TORRENT} trackers only, shows them all, and says so`, () => {
    const tiers = Array.from({ length: 3000 }, (_, i) => [`udp://t${i}.example:80`])
    const d = decodeTorrentFile(torrent(singleInfo(), { 'announce-list': tiers }))
    expect(d.meta.announceList).toHaveLength(3000)
    expect(d.announce).toEqual(tiers.slice(0, MAX_TRACKERS_PER_TORRENT).flat())
    expect(d.meta.magnetURI.match(/&tr=/g)).toHaveLength(MAX_TRACKERS_PER_TORRENT)
    expect(d.meta.warnings).toContain(
      `the torrent lists 3000 trackers: only the first ${MAX_TRACKERS_PER_TORRENT} are used`,
    )
    const fromPeers = decodeInfoDictionary(encode(singleInfo()), {
      announce: tiers.flat(),
    })
    expect(fromPeers.announce).toHaveLength(MAX_TRACKERS_PER_TORRENT)
  })

  it('falls back to announce when the announce-list has nothing usable', () => {
    const m = decodeTorrentFile(
      torrent(singleInfo(), { announce: 'http://t.example/a', 'announce-list': [[], ['x']] }),
    ).meta
    expect(m.announceList).toEqual([['http://t.example/a']])
  })

  it('refuses tracker URLs holding whitespace or control characters', () => {
    const m = decodeTorrentFile(
      torrent(singleInfo(), {
        'announce-list': [
          ['http://a.example/ann\nounce', 'http://b .example/', 'http://ok.example/'],
        ],
      }),
    ).meta
    expect(m.announceList).toEqual([['http://ok.example/']])
    expect(m.warnings).toHaveLength(2)
    expect(m.warnings[0]).toBe(
      'ignored tracker "http://a.example/ann\\u000aounce": not a supported URL',
    )
  })

  it('drops an unusable announce with a warning', () => {
    const m = decodeTorrentFile(torrent(singleInfo(), { announce: 'dht://nope' })).meta
    expect(m.announce).toBeNull()
    expect(m.announceList).toEqual([])
    expect(m.warnings).toEqual(['ignored tracker "dht://nope": not a supported URL'])
  })

  it('reads url-list as a list, drops empty strings and non-http seeds', () => {
    const m = decodeTorrentFile(
      torrent(singleInfo(), {
        'url-list': ['http://s.example/', '', 'http://s.example/', 'udp://s.example/', 7],
      }),
    ).meta
    expect(m.urlList).toEqual(['http://s.example/'])
    expect(m.warnings).toEqual(['ignored web seed "udp://s.example/": not a supported URL'])
    expect(decodeTorrentFile(torrent(singleInfo(), { 'url-list': '' })).meta.urlList).toEqual([])
  })
})

describe.each(['linux', 'darwin', 'win32'] as const)(
  'decodeTorrentFile: sanitizing names and paths on every platform (%s)',
  (platform) => {
    const decode = (bytes: Uint8Array): ReturnType<typeof decodeTorrentFile> =>
      decodeTorrentFile(bytes, { platform })

    it.each([
      ['..', '_'],
      ['.', '_'],
      ['a/b', 'a_b'],
    ])('never maps a multi-file torrent named %j onto the download folder', (name, safe) => {
      const d = decode(torrent(multiInfo({ name })))
      expect(d.meta.name).toBe(safe)
      expect(d.files.every((f) => f.segments[0] === safe && f.segments.length >= 2)).toBe(true)
      expect(d.meta.warnings[0]).toContain(`name "${name}" → "${safe}"`)
      expect(d.rawName).toBe(name)
    })

    it('names a torrent with an empty name after its info hash', () => {
      const d = decode(torrent(multiInfo({ name: '' })))
      expect(d.meta.name).toBe(d.meta.infoHash)
      expect(d.files[0]?.segments[0]).toBe(d.meta.infoHash)
      expect(d.meta.warnings).toEqual([`the torrent has no name; using "${d.meta.infoHash}"`])
      const single = decode(torrent(singleInfo({ name: '\u202e' })))
      expect(single.files[0]?.segments).toEqual([single.meta.infoHash])
    })

    it('rejects duplicate paths, compared after sanitizing and case-insensitively', () => {
      const dup = (a: Encodable[], b: Encodable[]): Uint8Array =>
        torrent(
          multiInfo({
            files: [
              { length: 16384, path: a },
              { length: 16384, path: b },
            ],
          }),
        )
      rejects(dup(['a', 'b'], ['a', 'b']), /the path "album\/a\/b" appears twice/, { platform })
      rejects(
        dup(['Readme.TXT'], ['readme.txt']),
        /"album\/Readme.TXT" and "album\/readme.txt" would be the same file/,
        { platform },
      )
      rejects(dup(['a\\b'], ['a_b']), /"album\/a_b" appears twice/, { platform })
      rejects(dup(['caf\u00e9'], ['cafe\u0301']), /would be the same file/, { platform })
    })

    it('rejects a path that is both a file and a folder', () => {
      const bytes = torrent(
        multiInfo({
          files: [
            { length: 16384, path: ['a'] },
            { length: 16384, path: ['A', 'b'] },
          ],
        }),
      )
      rejects(bytes, /"album\/a" is both a file and a folder/, { platform })
    })

    it('rejects an empty path element', () => {
      rejects(
        torrent(multiInfo({ files: [{ length: 32768, path: ['a', '', 'b'] }] })),
        /file 0 \("a\/\/b"\) has an empty path element/,
        { platform },
      )
      rejects(
        torrent(multiInfo({ files: [{ length: 32768, path: ['\u200f'] }] })),
        /has an empty path element/,
        { platform },
      )
    })
  },
)

describe('decodeTorrentFile: sanitizing for Windows (win32)', () => {
  const opts = { platform: 'win32' } as const

  it('sanitizes every path element and records why', () => {
    const d = decodeTorrentFile(
      torrent(
        multiInfo({
          files: [
            { length: 10000, path: ['..', '..', 'etc', 'passwd'] },
            { length: 10000, path: ['C:', 'Windows', 'CON.txt'] },
            { length: 12768, path: ['/abs', 'x\u202egpj.exe', 'tail. '] },
          ],
        }),
      ),
      opts,
    )
    expect(d.files.map((f) => f.segments)).toEqual([
      ['album', '_', '_', 'etc', 'passwd'],
      ['album', 'C_', 'Windows', '_CON.txt'],
      ['album', '_abs', 'xgpj.exe', 'tail'],
    ])
    expect(d.meta.warnings).toHaveLength(3)
    expect(d.meta.warnings[0]).toBe(
      'file "../../etc/passwd" → "_/_/etc/passwd": ".." is not a name',
    )
  })

  it('replaces ":" in a name and a file name, and says Windows forbids it', () => {
    const d = decodeTorrentFile(
      torrent(
        multiInfo({
          name: 'Movie: Subtitle',
          files: [{ length: 32768, path: ['Part 1: Intro?.mkv'] }],
        }),
      ),
      opts,
    )
    expect(d.meta.name).toBe('Movie_ Subtitle')
    expect(d.files[0]?.segments).toEqual(['Movie_ Subtitle', 'Part 1_ Intro_.mkv'])
    expect(d.meta.files[0]?.path).toBe('Movie_ Subtitle/Part 1_ Intro_.mkv')
    expect(d.rawName).toBe('Movie: Subtitle')
    expect(d.meta.warnings).toEqual([
      'name "Movie: Subtitle" → "Movie_ Subtitle": ' +
        'replaced control characters, path separators or characters Windows forbids',
      'file "Part 1: Intro?.mkv" → "Part 1_ Intro_.mkv": ' +
        'replaced control characters, path separators or characters Windows forbids',
    ])
  })

  it('quotes raw names in warnings with invisible characters escaped', () => {
    const m = decodeTorrentFile(
      torrent(multiInfo({ files: [{ length: 32768, path: ['x\u202egpj.exe', 'a\nb'] }] })),
      opts,
    ).meta
    expect(m.warnings).toEqual([
      'file "x\\u202egpj.exe/a\\u000ab" → "xgpj.exe/a_b": removed text-direction control characters, ' +
        'replaced control characters, path separators or characters Windows forbids',
    ])
  })

  it('summarises warnings past 100', () => {
    const files = Array.from({ length: 150 }, (_, i) => ({ length: 1, path: [`f${i}.`] }))
    const m = decodeTorrentFile(
      torrent(multiInfo({ files, 'piece length': 16384, pieces: pieces(1) })),
      opts,
    ).meta
    expect(m.warnings).toHaveLength(101)
    expect(m.warnings[100]).toBe('… and 50 more warnings')
  })

  it('rejects paths that only Windows would make the same', () => {
    const dup = (a: Encodable[], b: Encodable[]): Uint8Array =>
      torrent(
        multiInfo({
          files: [
            { length: 16384, path: a },
            { length: 16384, path: b },
          ],
        }),
      )
    rejects(dup(['a:b'], ['a|b']), /"album\/a_b" appears twice/, opts)
    rejects(dup(['x.'], ['x']), /"album\/x" appears twice/, opts)
  })
})

describe.each(['linux', 'darwin'] as const)(
  'decodeTorrentFile: sanitizing on POSIX (%s)',
  (platform) => {
    const opts = { platform }

    it('keeps names only Windows forbids, and still makes hostile ones safe', () => {
      const d = decodeTorrentFile(
        torrent(
          multiInfo({
            files: [
              { length: 10000, path: ['..', '..', 'etc', 'passwd'] },
              { length: 10000, path: ['C:', 'Windows', 'CON.txt'] },
              { length: 12768, path: ['/abs', 'x\u202egpj.exe', 'tail. '] },
            ],
          }),
        ),
        opts,
      )
      expect(d.files.map((f) => f.segments)).toEqual([
        ['album', '_', '_', 'etc', 'passwd'],
        ['album', 'C:', 'Windows', 'CON.txt'],
        ['album', '_abs', 'xgpj.exe', 'tail. '],
      ])
      expect(d.meta.warnings).toEqual([
        'file "../../etc/passwd" → "_/_/etc/passwd": ".." is not a name',
        'file "/abs/x\\u202egpj.exe/tail. " → "_abs/xgpj.exe/tail. ": ' +
          'replaced control characters or path separators, removed text-direction control characters',
      ])
    })

    it('decodes ":" in a name and a file name unchanged, with no warning', () => {
      const d = decodeTorrentFile(
        torrent(
          multiInfo({
            name: 'Movie: Subtitle',
            files: [{ length: 32768, path: ['Part 1: Intro?.mkv'] }],
          }),
        ),
        opts,
      )
      expect(d.meta.name).toBe('Movie: Subtitle')
      expect(d.files[0]?.segments).toEqual(['Movie: Subtitle', 'Part 1: Intro?.mkv'])
      expect(d.meta.files[0]?.path).toBe('Movie: Subtitle/Part 1: Intro?.mkv')
      expect(d.meta.warnings).toEqual([])
      const single = decodeTorrentFile(torrent(singleInfo({ name: 'AUX Cable Review.' })), opts)
      expect(single.files[0]?.segments).toEqual(['AUX Cable Review.'])
    })

    it('quotes raw names in warnings with invisible characters escaped, without blaming Windows', () => {
      const m = decodeTorrentFile(
        torrent(multiInfo({ files: [{ length: 32768, path: ['x\u202egpj.exe', 'a\nb'] }] })),
        opts,
      ).meta
      expect(m.warnings).toEqual([
        'file "x\\u202egpj.exe/a\\u000ab" → "xgpj.exe/a_b": removed text-direction control characters, ' +
          'replaced control characters or path separators',
      ])
    })

    it('accepts names Windows alone would confuse', () => {
      const d = decodeTorrentFile(
        torrent(
          multiInfo({
            files: [
              { length: 16384, path: ['a:b'] },
              { length: 16384, path: ['a|b'] },
              { length: 0, path: ['x.'] },
              { length: 0, path: ['x'] },
            ],
          }),
        ),
        opts,
      )
      expect(d.files.map((f) => f.segments[1])).toEqual(['a:b', 'a|b', 'x.', 'x'])
    })
  },
)

describe('decodeTorrentFile: rejections', () => {
  it('rejects files over 10 MB', () => {
    rejects(new Uint8Array(MAX_TORRENT_FILE_BYTES + 1), /not a torrent file: larger than 10 MB/)
  })

  it('rejects what is not bencode, with the reason and offset', () => {
    rejects(latin1('<html></html>'), /^not a torrent file: unexpected byte 0x3c at byte 0$/)
    const good = torrent(singleInfo())
    rejects(
      Buffer.concat([good, latin1('xx')]),
      new RegExp(
        `^not a torrent file: trailing data after the top-level value at byte ${good.length}$`,
      ),
    )
    rejects(latin1('d4:infoi03ee'), /integer has a leading zero at byte 8/)
  })

  it('rejects a top level that is not a dictionary', () => {
    rejects(latin1('li1ee'), /not a torrent file: the top level is not a dictionary/)
  })

  it('rejects a missing or mistyped info', () => {
    rejects(encode({ announce: 'http://x/' }), /it has no "info" dictionary/)
    rejects(encode({ info: 'x' }), /"info" is not a dictionary/)
  })

  it.each<[string, Dict, RegExp]>([
    ['missing name', singleInfo({ name: undefined }), /info\.name is missing/],
    ['name not a string', singleInfo({ name: 5 }), /info\.name is an integer, not a string/],
    [
      'missing piece length',
      singleInfo({ 'piece length': undefined }),
      /info\["piece length"\] is missing/,
    ],
    [
      'piece length a string',
      singleInfo({ 'piece length': '16384' }),
      /is a string, not an integer/,
    ],
    ['piece length zero', singleInfo({ 'piece length': 0 }), /piece length 0 is outside/],
    [
      'piece length negative',
      singleInfo({ 'piece length': -16384 }),
      /piece length -16384 is outside/,
    ],
    [
      'piece length absurd',
      singleInfo({ 'piece length': MAX_PIECE_LENGTH * 2 }),
      /is outside 1 byte to 256 MiB/,
    ],
    ['missing pieces', singleInfo({ pieces: undefined }), /info\.pieces is missing/],
    ['pieces a list', singleInfo({ pieces: [] }), /info\.pieces is a list, not a string/],
    [
      'pieces not multiple of 20',
      singleInfo({ pieces: new Uint8Array(59) }),
      /59 bytes, not a multiple of 20/,
    ],
    [
      'too few pieces',
      singleInfo({ pieces: pieces(2) }),
      /2 piece hashes, but 40000 bytes in pieces of 16384 need 3/,
    ],
    ['too many pieces', singleInfo({ pieces: pieces(4) }), /4 piece hashes, but .* need 3/],
    ['both length and files', multiInfo({ length: 5 }), /exactly one of "length" and "files"/],
    [
      'neither length nor files',
      singleInfo({ length: undefined }),
      /exactly one of "length" and "files"/,
    ],
    [
      'length a string',
      singleInfo({ length: '40000' }),
      /info\.length is a string, not an integer/,
    ],
    ['negative length', singleInfo({ length: -1 }), /info\.length is negative \(-1\)/],
    [
      'zero total length',
      singleInfo({ length: 0, pieces: pieces(0) }),
      /contains no data \(total length 0\)/,
    ],
    ['files not a list', multiInfo({ files: 'x' }), /info\.files is a string, not a list/],
    ['empty files list', multiInfo({ files: [] }), /info\.files is empty/],
    [
      'file not a dict',
      multiInfo({ files: [5] }),
      /info\.files\[0\] is an integer, not a dictionary/,
    ],
    [
      'file without length',
      multiInfo({ files: [{ path: ['a'] }] }),
      /info\.files\[0\]\.length is missing/,
    ],
    [
      'file with negative length',
      multiInfo({ files: [{ length: -5, path: ['a'] }] }),
      /info\.files\[0\]\.length is negative/,
    ],
    [
      'file without path',
      multiInfo({ files: [{ length: 32768 }] }),
      /info\.files\[0\]\.path is missing/,
    ],
    [
      'path not a list',
      multiInfo({ files: [{ length: 32768, path: 'a' }] }),
      /path is a string, not a list of strings/,
    ],
    [
      'path with a non-string',
      multiInfo({ files: [{ length: 32768, path: ['a', 1] }] }),
      /path is a list, not a list of strings/,
    ],
    [
      'empty path list',
      multiInfo({ files: [{ length: 32768, path: [] }] }),
      /info\.files\[0\]\.path is empty/,
    ],
  ])('rejects %s', (_label, info, message) => rejects(torrent(info), message))

  it('rejects a total length beyond 2^53', () => {
    const big = Number.MAX_SAFE_INTEGER - 10
    const info = multiInfo({
      files: [
        { length: big, path: ['a'] },
        { length: big, path: ['b'] },
      ],
    })
    rejects(torrent(info), /total length is larger than 2\^53 bytes/)
  })

  it('rejects v2-only torrents with a clear message', () => {
    const v2 = {
      name: 'v2',
      'piece length': 16384,
      'meta version': 2,
      'file tree': { 'a.bin': { '': { length: 5, 'pieces root': new Uint8Array(32) } } },
    }
    rejects(torrent(v2), /^v2-only torrents \(BEP 52\) are not yet supported/)
  })

  it('accepts a hybrid v1+v2 torrent through its v1 fields', () => {
    const hybrid = singleInfo({
      'meta version': 2,
      'file tree': { 'file.bin': { '': { length: 40000, 'pieces root': new Uint8Array(32) } } },
    })
    const d = decodeTorrentFile(torrent(hybrid, { 'piece layers': {} }))
    expect(d.meta.name).toBe('file.bin')
    expect(d.meta.pieceCount).toBe(3)
    expect(d.meta.infoHash).toBe(sha1(encode(hybrid)))
  })

  it('decodes a builder-made hybrid as v1 with a warning that the v2 part is ignored', () => {
    const files = [
      { path: 'a.bin', size: 20000 },
      { path: 'sub/b.bin', size: 12768 },
    ]
    const built = buildTorrent({
      name: 'hy',
      pieceLength: 16384,
      pieces: pieces(2),
      files,
      hybrid: true,
    })
    const d = decodeTorrentFile(built.torrentBuffer)
    expect(d.info.get('meta version')).toBe(2)
    expect(d.meta.infoHash).toBe(built.infoHash)
    expect(d.meta.files.map((f) => f.path)).toEqual(['hy/a.bin', 'hy/sub/b.bin'])
    expect(d.meta.warnings).toEqual([
      'hybrid v1/v2 torrent: the v2 part is ignored, it is downloaded and shared as v1',
    ])
  })
})

describe('BEP 47 file attributes', () => {
  const padded = (attrs: Array<string | number | undefined>): Dict => ({
    name: 'p',
    'piece length': 16384,
    files: [
      { length: 10000, path: ['a.bin'], attr: attrs[0] },
      { length: 6384, path: ['.pad', '6384'], attr: attrs[1] },
      { length: 16384, path: ['b.bin'], attr: attrs[2] },
      { length: 16384, path: ['.pad', '16384'], attr: attrs[3] },
      { length: 16384, path: ['.pad', '16384'], attr: attrs[4] },
      { length: 1, path: ['c.bin'], attr: attrs[5] },
    ],
    pieces: pieces(5),
  })

  it('marks padding files (attr "p"), even several with the same name', () => {
    const d = decodeTorrentFile(torrent(padded(['x', 'p', 'h', 'p', 'ph'])))
    expect(d.files.map((f) => f.pad)).toEqual([false, true, false, true, true, false])
    expect(d.meta.files.map((f) => f.padding === true)).toEqual(d.files.map((f) => f.pad))
    expect(d.meta.length).toBe(65537)
    expect(d.meta.warnings).toEqual([])
  })

  it('reads other attributes without failing', () => {
    const d = decodeTorrentFile(torrent(padded(['xh', 'p', 'l', 'p', 'p', 'x'])))
    expect(d.files.filter((f) => f.pad)).toHaveLength(3)
  })

  it('refuses a padding file that is also a link, an attr that is not a string, and still two real files at one path', () => {
    rejects(torrent(padded([undefined, 'pl'])), /info.files\[1\] is both padding and a link/)
    rejects(
      torrent(padded([undefined, 'p', 1])),
      /info.files\[2\].attr is an integer, not a string/,
    )
    rejects(torrent(padded(['', 'p', '', '', 'x', ''])), /the path "p\/.pad\/16384" appears twice/)
  })
})

describe('decodeInfoDictionary', () => {
  it('decodes metadata fetched for a magnet, with trackers as tiers', () => {
    const info = encode(multiInfo())
    const d = decodeInfoDictionary(info, {
      announce: ['udp://a.example:1', 'bogus', 'udp://a.example:1', 'wss://b.example'],
      urlList: ['https://w.example/'],
    })
    expect(d.meta.infoHash).toBe(sha1(info))
    expect(d.meta.announceList).toEqual([['udp://a.example:1'], ['wss://b.example']])
    expect(d.meta.announce).toBe('udp://a.example:1')
    expect(d.meta.urlList).toEqual(['https://w.example/'])
    expect(d.meta.warnings).toEqual(['ignored tracker "bogus": not a supported URL'])
    expect(d.meta.files).toHaveLength(3)
  })

  it('applies the same checks', () => {
    expect(() => decodeInfoDictionary(latin1('i1e'))).toThrow(/top level is not a dictionary/)
    expect(() => decodeInfoDictionary(encode(singleInfo({ pieces: pieces(1) })))).toThrow(
      MetaInfoError,
    )
    expect(() => decodeInfoDictionary(latin1('d1:ai1e1:ai1ee'))).toThrow(
      /invalid metadata: duplicate/,
    )
  })

  it('sanitizes for the platform it is given', () => {
    const info = encode(multiInfo({ files: [{ length: 32768, path: ['a: b'] }] }))
    expect(decodeInfoDictionary(info, {}, { platform: 'linux' }).files[0]?.segments).toEqual([
      'album',
      'a: b',
    ])
    const win = decodeInfoDictionary(info, {}, { platform: 'win32' })
    expect(win.files[0]?.segments).toEqual(['album', 'a_ b'])
    expect(win.meta.warnings).toHaveLength(1)
  })
})

describe('buildMagnetURI', () => {
  it('percent-encodes every part', () => {
    expect(
      buildMagnetURI({
        infoHash: 'ab'.repeat(20),
        name: 'a&b=c d',
        trackers: ['udp://t:1/?x=1&y=2'],
        peers: ['[::1]:6881'],
      }),
    ).toBe(
      `magnet:?xt=urn:btih:${'ab'.repeat(20)}&dn=a%26b%3Dc%20d&tr=udp%3A%2F%2Ft%3A1%2F%3Fx%3D1%26y%3D2&x.pe=%5B%3A%3A1%5D%3A6881`,
    )
  })
})
