import { describe, expect, it } from 'vitest'
import { version } from '../../../../package.json'
import type { Wire } from 'webtorrent'
import { clientName, newPeerId, peerAddress, toPeerEntry } from './webtorrent-map'

describe('peer identity', () => {
  it('makes 20-byte Azureus-style peer ids that other peers can name', () => {
    const id = newPeerId()
    expect(id).toHaveLength(20)
    expect(id.subarray(0, 3).toString('latin1')).toBe('-SL')
    expect(id[7]).toBe('-'.charCodeAt(0))
    expect(newPeerId().equals(id)).toBe(false)
    expect(clientName(id.toString('hex'))).toBe(`Seedling ${version}`)
  })

  it('names other clients from their peer ids', () => {
    expect(clientName(Buffer.from('-qB4520-abcdefghijkl', 'latin1').toString('hex'))).toMatch(
      /qBittorrent/,
    )
    expect(clientName(Buffer.from('-TR3000-abcdefghijkl', 'latin1').toString('hex'))).toMatch(
      /Transmission/,
    )
    expect(clientName(undefined)).toBe('unknown')
  })
})

describe('peer addresses', () => {
  it('shows IPv4-mapped IPv6 addresses (incoming IPv4 peers) as IPv4', () => {
    expect(peerAddress('::ffff:127.0.0.1')).toBe('127.0.0.1')
    expect(peerAddress('::FFFF:192.0.2.7')).toBe('192.0.2.7')
    expect(peerAddress('192.0.2.7')).toBe('192.0.2.7')
    expect(peerAddress('2001:db8::1')).toBe('2001:db8::1')
    expect(peerAddress('::ffff:2001:db8')).toBe('::ffff:2001:db8')
    expect(peerAddress(undefined)).toBe('')
  })

  it('puts the IPv4 form in the PeerEntry', () => {
    const wire = {
      remoteAddress: '::ffff:127.0.0.1',
      remotePort: 6881,
      type: 'tcpIncoming',
      peerPieces: { get: () => false },
      downloadSpeed: () => 0,
      uploadSpeed: () => 0,
      downloaded: 0,
      uploaded: 0,
    } as unknown as Wire
    expect(toPeerEntry(wire, 4)).toMatchObject({ address: '127.0.0.1', port: 6881 })
  })
})
