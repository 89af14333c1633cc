import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  MAX_NAME_BYTES,
  UnsafePathError,
  assertInside,
  pathCollisionKey,
  resolveInside,
  sanitizeName,
  truncateName,
} from './safe-path'

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')
const POSIX_PLATFORMS = ['linux', 'darwin'] as const
const ALL_PLATFORMS = ['win32', ...POSIX_PLATFORMS] as const
const clean = (raw: string, platform: NodeJS.Platform): string | undefined =>
  sanitizeName(raw, platform)?.name

describe('sanitizeName: on every platform', () => {
  it.each(ALL_PLATFORMS)('leaves ordinary names alone and reports no change (%s)', (platform) => {
    for (const name of [
      'movie.mkv',
      'Ünïcødé 名前.txt',
      '.hidden',
      'a b',
      'CONSOLE.txt',
      'com10',
    ]) {
      expect(sanitizeName(name, platform)).toEqual({ name, changes: [] })
    }
  })

  describe.each(ALL_PLATFORMS)('%s', (platform) => {
    it.each([
      ['..', '_'],
      ['.', '_'],
      ['a/b', 'a_b'],
      ['/etc', '_etc'],
      ['a\\b', 'a_b'],
      ['\\\\server\\share', '__server_share'],
      ['tab\there', 'tab_here'],
      ['\u0000', '_'],
      ['nul\u0000byte', 'nul_byte'],
      ['new\nline', 'new_line'],
      ['del\u007f', 'del_'],
      ['c1\u0085\u009f', 'c1__'],
    ])('makes %j safe as %j', (raw, safe) => {
      const s = sanitizeName(raw, platform)
      expect(s?.name).toBe(safe)
      expect(s?.changes.length).toBeGreaterThan(0)
    })

    it('removes text-direction controls instead of replacing them', () => {
      // "photo\u202Egpj.exe" displays as "photoexe.jpg".
      expect(clean('photo\u202egpj.exe', platform)).toBe('photogpj.exe')
      for (const c of [
        '\u202a',
        '\u202b',
        '\u202c',
        '\u202d',
        '\u2066',
        '\u2067',
        '\u2068',
        '\u2069',
      ]) {
        expect(clean(`a${c}b`, platform)).toBe('ab')
      }
      for (const c of ['\u200e', '\u200f', '\u061c']) expect(clean(`a${c}b`, platform)).toBe('ab')
    })

    it('returns null when nothing visible is left', () => {
      expect(sanitizeName('', platform)).toBeNull()
      expect(sanitizeName('\u202e\u200f', platform)).toBeNull()
    })

    it('caps names at 255 UTF-8 bytes, keeping the extension and whole code points', () => {
      const long = `${'a'.repeat(300)}.mkv`
      const s = clean(long, platform) as string
      expect(bytes(s)).toBe(MAX_NAME_BYTES)
      expect(s.endsWith('.mkv')).toBe(true)

      // 3-byte and 4-byte characters must not be split.
      for (const ch of ['名', '😀', 'é']) {
        const t = clean(`${ch.repeat(200)}.txt`, platform) as string
        expect(bytes(t)).toBeLessThanOrEqual(MAX_NAME_BYTES)
        expect(bytes(t)).toBeGreaterThan(MAX_NAME_BYTES - bytes(ch))
        expect(t).not.toContain('\ufffd')
        expect(t.endsWith('.txt')).toBe(true)
        expect([...t.slice(0, -4)].every((c) => c === ch)).toBe(true)
      }
    })

    it('drops an absurdly long extension rather than keep it whole', () => {
      const t = truncateName(`a.${'x'.repeat(400)}`, MAX_NAME_BYTES, platform)
      expect(bytes(t)).toBe(MAX_NAME_BYTES)
      expect(t.startsWith('a.x')).toBe(true)
    })
  })

  it('words the change without mentioning Windows off Windows', () => {
    expect(sanitizeName('a/b', 'linux')?.changes).toEqual([
      'replaced control characters or path separators',
    ])
    expect(sanitizeName('a/b', 'win32')?.changes).toEqual([
      'replaced control characters, path separators or characters Windows forbids',
    ])
  })

  it('defaults to the host platform', () => {
    for (const raw of ['Movie: Subtitle?', 'AUX', 'name.', 'a/b']) {
      expect(sanitizeName(raw)).toEqual(sanitizeName(raw, process.platform))
    }
  })
})

describe('sanitizeName: Windows rules on win32 only', () => {
  const win = (raw: string): string | undefined => clean(raw, 'win32')

  it.each([
    ['...', '_'],
    [' . ', '_'],
    ['C:', 'C_'],
    ['C:\\Windows', 'C__Windows'],
    ['a<b>c:d"e|f?g*h', 'a_b_c_d_e_f_g_h'],
    ['Movie: Subtitle?', 'Movie_ Subtitle_'],
    ['name.', 'name'],
    ['name. . .', 'name'],
    ['trailing  ', 'trailing'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['Prn.tar.gz', '_Prn.tar.gz'],
    ['aux', '_aux'],
    ['AUX', '_AUX'],
    ['NUL', '_NUL'],
    ['COM1', '_COM1'],
    ['com9.log', '_com9.log'],
    ['LPT1', '_LPT1'],
    ['lpt9', '_lpt9'],
    ['COM¹', '_COM¹'],
    ['CON.', '_CON'],
  ])('makes %j safe as %j', (raw, safe) => {
    const s = sanitizeName(raw, 'win32')
    expect(s?.name).toBe(safe)
    expect(s?.changes.length).toBeGreaterThan(0)
  })

  it('does not leave a trailing dot or space after cutting', () => {
    const t = truncateName(`${'a'.repeat(250)}     ${'b'.repeat(20)}.txt`, MAX_NAME_BYTES, 'win32')
    expect(t).toBe(`${'a'.repeat(250)}.txt`)
    expect(win(`${'a'.repeat(250)}     ${'b'.repeat(20)}.txt`)).toBe(`${'a'.repeat(250)}.txt`)
  })

  it.each(POSIX_PLATFORMS)('keeps names that are legal on %s unchanged', (platform) => {
    for (const name of [
      'Movie: Subtitle?',
      'What?',
      'AUX Cable Review',
      'AUX',
      'aux',
      'CON',
      'con.txt',
      'NUL',
      'COM1',
      'lpt9.log',
      'name.',
      'name. . .',
      'trailing  ',
      '...',
      ' . ',
      'a<b>c:d"e|f?g*h',
      'C:',
    ]) {
      expect(sanitizeName(name, platform)).toEqual({ name, changes: [] })
    }
  })

  it.each(POSIX_PLATFORMS)(
    'still makes separators, controls and dot names safe on %s',
    (platform) => {
      expect(clean('a/b', platform)).toBe('a_b')
      expect(clean('a\\b', platform)).toBe('a_b')
      expect(clean('\u0000', platform)).toBe('_')
      expect(clean('..', platform)).toBe('_')
      expect(clean('C:\\Windows', platform)).toBe('C:_Windows')
      expect(sanitizeName('What?/..', platform)).toEqual({
        name: 'What?_..',
        changes: ['replaced control characters or path separators'],
      })
    },
  )

  it('keeps a trailing dot or space a cut exposes on POSIX', () => {
    const raw = `${'a'.repeat(250)}     ${'b'.repeat(20)}.txt`
    expect(truncateName(raw, MAX_NAME_BYTES, 'linux')).toBe(`${'a'.repeat(250)} .txt`)
    expect(clean(raw, 'linux')).toBe(`${'a'.repeat(250)} .txt`)
  })

  it('never cuts a name down to "." or ".."', () => {
    expect(truncateName('...', 2, 'linux')).toBe('_')
    expect(truncateName('a...', 2, 'linux')).toBe('a.')
  })
})

describe('pathCollisionKey', () => {
  it('treats case and Unicode normalization as the same file', () => {
    expect(pathCollisionKey(['Dir', 'File.TXT'])).toBe(pathCollisionKey(['dir', 'file.txt']))
    expect(pathCollisionKey(['caf\u00e9'])).toBe(pathCollisionKey(['cafe\u0301']))
    expect(pathCollisionKey(['a', 'b'])).not.toBe(pathCollisionKey(['a', 'c']))
  })
})

describe('resolveInside (POSIX)', () => {
  const p = path.posix
  it('joins segments strictly inside the root', () => {
    expect(resolveInside('/downloads', ['t', 'a.txt'], p)).toBe('/downloads/t/a.txt')
    expect(resolveInside('/downloads/', ['a'], p)).toBe('/downloads/a')
    expect(resolveInside('/downloads/../dl', ['a'], p)).toBe('/dl/a')
  })

  it.each([
    [[]],
    [['']],
    [['.']],
    [['..']],
    [['t', '..', '..', 'etc']],
    [['a/../../b']],
    [['/etc/passwd']],
  ])('refuses %j', (segments) => {
    expect(() => resolveInside('/downloads', segments, p)).toThrow(UnsafePathError)
  })

  it('allows names that merely look odd on POSIX', () => {
    expect(resolveInside('/d', ['a\\b'], p)).toBe('/d/a\\b')
    expect(resolveInside('/d', ['...'], p)).toBe('/d/...')
  })

  it('accepts what sanitizeName produces for hostile names on POSIX', () => {
    for (const raw of ['..', '.', 'C:\\Windows', 'a/b', '/etc', '\u0000', 'name.', 'x:y', '...']) {
      for (const platform of POSIX_PLATFORMS) {
        const safe = clean(raw, platform) as string
        expect(resolveInside('/downloads', [safe], p).startsWith('/downloads/')).toBe(true)
      }
    }
  })
})

describe('resolveInside (Windows)', () => {
  const w = path.win32
  it('joins segments strictly inside the root', () => {
    expect(resolveInside('C:\\Downloads', ['t', 'a.txt'], w)).toBe('C:\\Downloads\\t\\a.txt')
    expect(resolveInside('\\\\server\\share\\dl', ['a'], w)).toBe('\\\\server\\share\\dl\\a')
  })

  it.each([
    [['..']],
    [['a\\..\\..\\b']],
    [['a/../../b']],
    [['C:\\Windows']],
    [['D:']],
    [['C:foo']],
    [['\\\\evil\\share']],
    [['...']],
    [['name.']],
    [['name ']],
    [['file:stream']],
  ])('refuses %j', (segments) => {
    expect(() => resolveInside('C:\\Downloads', segments, w)).toThrow(UnsafePathError)
  })

  it('accepts what sanitizeName produces for hostile names', () => {
    for (const raw of ['..', 'C:\\Windows', 'a/b', 'name.', 'CON', 'x:y']) {
      const safe = clean(raw, 'win32') as string
      expect(resolveInside('C:\\Downloads', [safe], w).startsWith('C:\\Downloads\\')).toBe(true)
      expect(resolveInside('/downloads', [safe], path.posix).startsWith('/downloads/')).toBe(true)
    }
  })
})

describe('assertInside', () => {
  it('accepts paths strictly inside the root (POSIX)', () => {
    const p = path.posix
    expect(assertInside('/dl', '/dl/t/a', p)).toBe('/dl/t/a')
    expect(assertInside('/dl', 't/../a', p)).toBe('/dl/a')
    expect(assertInside('/dl', '..dots', p)).toBe('/dl/..dots')
  })

  it.each([
    '/dl',
    '/dl/',
    '/dl/t/..',
    '/',
    '/etc/passwd',
    '/dl/../dl2/x',
    '/dlx',
    '..',
    '../dl/../x',
  ])('refuses %j (POSIX)', (candidate) => {
    expect(() => assertInside('/dl', candidate, path.posix)).toThrow(UnsafePathError)
  })

  it('accepts paths strictly inside the root (Windows)', () => {
    const w = path.win32
    expect(assertInside('C:\\dl', 'C:\\dl\\t\\a', w)).toBe('C:\\dl\\t\\a')
    // Windows paths compare case-insensitively.
    expect(assertInside('C:\\DL', 'c:\\dl\\a', w)).toBe('c:\\dl\\a')
  })

  it.each([
    'C:\\dl',
    'C:\\dl\\a\\..',
    'D:\\dl\\a',
    '\\\\server\\share\\a',
    'C:\\',
    'C:\\dl2\\a',
    '..\\x',
  ])('refuses %j (Windows)', (candidate) => {
    expect(() => assertInside('C:\\dl', candidate, path.win32)).toThrow(UnsafePathError)
  })
})
