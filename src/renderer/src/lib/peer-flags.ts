import type { PeerEntry } from '@shared/api'

/**
 * The usual client flags (as in uTorrent, qBittorrent). What each letter means is the catalogue's
 * `peers.flagLegend`, so the legend is in the UI's language while the letters stay the same.
 */
export function peerFlags(p: PeerEntry): string {
  let f = ''
  if (p.amInterested) f += p.peerChoking ? 'd' : 'D'
  else if (!p.peerChoking) f += 'K'
  if (p.peerInterested) f += p.amChoking ? 'u' : 'U'
  else if (!p.amChoking) f += '?'
  if (p.encrypted) f += 'E'
  if (p.connectionType === 'utp') f += 'P'
  return f
}
