import { describe, expect, it } from 'vitest'
import { version } from '../../../../package.json'
import { clientName, newPeerId } from './webtorrent-map'

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
