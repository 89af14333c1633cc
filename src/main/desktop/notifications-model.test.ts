import { describe, expect, it } from 'vitest'
import { NotificationPolicy } from './notifications-model'
import { translator } from './i18n/translate'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const ctx = (over: Partial<{ enabled: boolean; supported: boolean }> = {}) => ({
  enabled: true,
  supported: true,
  nameOf: (h: string) => (h === A ? 'Ubuntu ISO' : undefined),
  ...over,
})

describe('NotificationPolicy', () => {
  it('notifies a completed download once; a click reveals it', () => {
    const p = new NotificationPolicy(translator('en'))
    p.seed([{ infoHash: A, completedAt: null }])
    expect(p.decide({ kind: 'done', infoHash: A }, ctx())).toEqual({
      title: 'Download complete',
      body: 'Ubuntu ISO',
      infoHash: A,
      onClick: 'reveal',
    })
    expect(p.decide({ kind: 'done', infoHash: A }, ctx())).toBeNull()
  })

  it('never notifies torrents that were already complete at startup', () => {
    const p = new NotificationPolicy(translator('en'))
    p.seed([{ infoHash: A, completedAt: '2026-01-01T00:00:00.000Z' }])
    expect(p.decide({ kind: 'done', infoHash: A }, ctx())).toBeNull()
  })

  it('respects the user setting and platform support, without replaying later', () => {
    const p = new NotificationPolicy(translator('en'))
    expect(p.decide({ kind: 'done', infoHash: A }, ctx({ enabled: false }))).toBeNull()
    expect(p.decide({ kind: 'done', infoHash: A }, ctx())).toBeNull()
    expect(p.decide({ kind: 'done', infoHash: B }, ctx({ supported: false }))).toBeNull()
  })

  it('notifies each distinct error once, named by hash prefix when unknown', () => {
    const p = new NotificationPolicy(translator('en'))
    const e = { kind: 'error' as const, infoHash: B, error: 'disk full' }
    expect(p.decide(e, ctx())).toEqual({
      title: 'Torrent error',
      body: 'bbbbbbbbbbbb: disk full',
      infoHash: B,
      onClick: 'show-window',
    })
    expect(p.decide(e, ctx())).toBeNull()
    expect(p.decide({ ...e, error: 'permission denied' }, ctx())).not.toBeNull()
  })

  it('forgets removed torrents so a re-added one notifies again', () => {
    const p = new NotificationPolicy(translator('en'))
    p.seed([{ infoHash: A, completedAt: 'x' }])
    p.forget(A)
    expect(p.decide({ kind: 'done', infoHash: A }, ctx())).not.toBeNull()
  })
})
