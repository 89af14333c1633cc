import type { PeerEntry } from '@shared/api'

/** The usual client flags (as in uTorrent, qBittorrent): what each letter means is in `peerFlagLegend`. */
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

export const peerFlagLegend =
  'D downloading, d we want but are choked, K they unchoked us but we are not interested, ' +
  'U uploading, u they want but we choke, ? we unchoked them but they are not interested, E encrypted, P µTP'
