import { describe, expect, it } from 'vitest'
import { SeedlingError } from '@shared/api'
import { i18n, t } from '../i18n'
import type { PendingAdd } from '../stores/ui'
import { addProblem } from './add-problem'

const file: PendingAdd = { id: 1, source: { kind: 'file', data: 'AA==' }, label: 'album.torrent' }
const magnet: PendingAdd = { id: 2, source: { kind: 'magnet', uri: 'magnet:?' }, label: 'magnet' }

describe('addProblem', () => {
  it('tells a duplicate from an invalid file by the code, not the wording', () => {
    const dup = new SeedlingError('not a torrent file, already there', 'duplicate')
    expect(addProblem(dup, 'add', file, t)).toEqual({ kind: 'duplicate' })
    expect(addProblem(dup, 'inspect', file, t)).toEqual({ kind: 'duplicate' })
    const bad = new SeedlingError('bad bencode at byte 0', 'invalid')
    expect(addProblem(bad, 'inspect', file, t)).toEqual({
      kind: 'not-a-torrent',
      message: 'Could not read “album.torrent”: bad bencode at byte 0',
    })
  })

  it('names a bad magnet link as such', () => {
    const bad = new SeedlingError('no info hash', 'invalid')
    expect(addProblem(bad, 'inspect', magnet, t)).toMatchObject({
      kind: 'not-a-torrent',
      message: 'Could not read the link: no info hash',
    })
  })

  it('shows other failures as they were said', () => {
    const folder = new SeedlingError('invalid addTorrent request at downloadDir', 'invalid')
    expect(addProblem(folder, 'add', file, t)).toEqual({ kind: 'failed', message: folder.message })
    const refused = new SeedlingError('outside the folders you allowed', 'forbidden')
    expect(addProblem(refused, 'inspect', file, t)).toEqual({
      kind: 'failed',
      message: refused.message,
    })
    expect(addProblem(new Error('the connection was lost'), 'inspect', file, t)).toEqual({
      kind: 'failed',
      message: 'the connection was lost',
    })
  })

  it('shows invisible characters in the file name', () => {
    const bad = new SeedlingError('bad', 'invalid')
    const hidden = { ...file, label: 'a\u202eb.torrent' }
    expect(addProblem(bad, 'inspect', hidden, t)).toMatchObject({
      message: expect.not.stringContaining('\u202e'),
    })
  })

  it('says it in the UI’s language, the engine’s reason as given', () => {
    const bad = new SeedlingError('bad bencode at byte 0', 'invalid')
    i18n.global.locale.value = 'de'
    try {
      expect(addProblem(bad, 'inspect', file, t)).toEqual({
        kind: 'not-a-torrent',
        message: '„album.torrent“ konnte nicht gelesen werden: bad bencode at byte 0',
      })
    } finally {
      i18n.global.locale.value = 'en'
    }
  })
})
