import { describe, expect, it } from 'vitest'
import {
  AddTorrentRequestSchema,
  CreateTorrentRequestSchema,
  isAbsoluteNormalPath,
  MoveTorrentRequestSchema,
  SettingsPatchSchema,
} from './schema'

const HASH = 'a'.repeat(40)

describe('isAbsoluteNormalPath', () => {
  it('accepts absolute POSIX and Windows paths, with at most one trailing separator', () => {
    for (const p of [
      '/',
      '/srv',
      '/home/you/Downloads',
      '/home/you/Downloads/',
      'C:\\',
      'D:\\data\\tv',
    ]) {
      expect(isAbsoluteNormalPath(p), p).toBe(true)
    }
    expect(isAbsoluteNormalPath('\\\\server\\share\\films')).toBe(true)
    expect(isAbsoluteNormalPath('d:/data')).toBe(true)
  })

  it('refuses relative paths, dot segments, doubled separators and NUL', () => {
    for (const p of [
      '',
      'downloads',
      './downloads',
      '../downloads',
      '~/Downloads',
      'C:data',
      '/home/you/../other',
      '/home/./you',
      '/home//you',
      '/home/you//',
      '/home/you/..',
      'D:\\data\\..\\x',
      '/home/you\0/x',
    ]) {
      expect(isAbsoluteNormalPath(p), JSON.stringify(p)).toBe(false)
    }
  })
})

describe('folder fields at the API boundary', () => {
  it('refuse a relative download folder in settings, add and move with a message naming it', () => {
    const settings = SettingsPatchSchema.safeParse({ downloadDir: 'downloads' })
    expect(settings.success).toBe(false)
    expect(settings.error?.issues[0]?.message).toMatch(/absolute path.*got: downloads/)
    expect(
      AddTorrentRequestSchema.safeParse({
        source: { kind: 'infoHash', infoHash: HASH },
        downloadDir: '../elsewhere',
      }).success,
    ).toBe(false)
    expect(MoveTorrentRequestSchema.safeParse({ infoHash: HASH, downloadDir: 'x/y' }).success).toBe(
      false,
    )
    expect(CreateTorrentRequestSchema.safeParse({ requestId: 'r', path: 'file.bin' }).success).toBe(
      false,
    )
  })

  it('accept absolute folders', () => {
    expect(SettingsPatchSchema.parse({ downloadDir: '/data/dl' })).toEqual({
      downloadDir: '/data/dl',
    })
    expect(
      MoveTorrentRequestSchema.safeParse({ infoHash: HASH, downloadDir: '/x/y' }).success,
    ).toBe(true)
  })
})
