import { describe, expect, it } from 'vitest'
import { decode, encode } from './bencode'
import { buildTorrentFile } from './torrent-file'

const INFO = encode({ length: 5, name: 'x', 'piece length': 16384, pieces: new Uint8Array(20) })
const text = (b: unknown): string => new TextDecoder().decode(b as Uint8Array)

describe('buildTorrentFile', () => {
  it('splices the info bytes in unchanged and lists the trackers one a tier', () => {
    const out = decode(buildTorrentFile(INFO, ['udp://a.example:1', 'http://b.example/ann']))
    expect(Buffer.compare(out.rawValue('info') ?? new Uint8Array(), INFO)).toBe(0)
    const top = out.value as Map<string, unknown>
    expect(text(top.get('announce'))).toBe('udp://a.example:1')
    const tiers = top.get('announce-list') as Uint8Array[][]
    expect(tiers.map((t) => t.map(text))).toEqual([['udp://a.example:1'], ['http://b.example/ann']])
  })

  it('leaves the announce keys out when there are no trackers', () => {
    const out = decode(buildTorrentFile(INFO, []))
    expect([...(out.value as Map<string, unknown>).keys()]).toEqual(['info'])
  })
})
