import { describe, expect, it } from 'vitest'
import { AddTorrentRequestSchema, MAX_TRACKERS_PER_TORRENT, isTrackerUrl } from './schema'

const source = { kind: 'infoHash', infoHash: 'a'.repeat(40) } as const

function addError(trackers: unknown): string {
  const r = AddTorrentRequestSchema.safeParse({ source, trackers })
  expect(r.success).toBe(false)
  return r.error?.issues.map((i) => i.message).join('; ') ?? ''
}

describe('tracker URLs at the API boundary', () => {
  it('accept http, https, udp, ws and wss URLs with a host', () => {
    const trackers = [
      'http://127.0.0.1:6969/announce',
      'https://tracker.example/announce?passkey=x',
      'udp://tracker.example:1337',
      'ws://127.0.0.1:8000',
      'wss://tracker.example',
    ]
    expect(AddTorrentRequestSchema.parse({ source, trackers }).trackers).toEqual(trackers)
  })

  it('refuse other schemes, URLs without a host and controls, naming the URL', () => {
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'ftp://tracker.example/',
      'data:text/plain,x',
      'http://',
      'udp:1337',
      'not a url',
      'http://tracker.example/\nannounce',
      ' http://tracker.example/',
      `http://tracker.example/${'a'.repeat(2100)}`,
    ]) {
      expect(isTrackerUrl(bad), bad).toBe(false)
      expect(addError([bad]), bad).toMatch(/tracker URL|too big|at most/i)
    }
    expect(addError(['javascript:alert(1)'])).toContain('javascript:alert(1)')
  })

  it(`refuse more than ${MAX_TRACKERS_PER_TORRENT} trackers`, () => {
    const many = Array.from(
      { length: MAX_TRACKERS_PER_TORRENT + 1 },
      (_, i) => `udp://t${i}.example:80`,
    )
    addError(many)
    expect(
      AddTorrentRequestSchema.parse({ source, trackers: many.slice(1) }).trackers,
    ).toHaveLength(MAX_TRACKERS_PER_TORRENT)
  })
})
