import { describe, expect, it } from 'vitest'
import { torrentFileName } from './save-bytes'

describe('torrentFileName', () => {
  it('keeps a plain name and adds .torrent', () => {
    expect(torrentFileName('Ubuntu 24.04')).toBe('Ubuntu 24.04.torrent')
  })

  it('replaces path separators and control characters, and is never empty', () => {
    expect(torrentFileName('../etc/passwd')).toBe('.._etc_passwd.torrent')
    expect(torrentFileName('a\u0000b\nc')).toBe('a_b_c.torrent')
    expect(torrentFileName('  ')).toBe('torrent.torrent')
  })
})
