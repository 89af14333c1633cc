import { encode } from './bencode'

/**
 * Builds a `.torrent` around info bytes received from peers (BEP 9). The info dictionary is spliced in
 * byte for byte, never re-encoded, so the saved file hashes to the same info hash.
 */
export function buildTorrentFile(infoBuffer: Uint8Array, trackers: string[]): Uint8Array {
  const enc = new TextEncoder()
  const parts: Uint8Array[] = [enc.encode('d')]
  // Keys in sorted order: announce < announce-list < info.
  const first = trackers[0]
  if (first !== undefined) {
    parts.push(enc.encode('8:announce'), encode(first))
    parts.push(enc.encode('13:announce-list'), encode(trackers.map((t) => [t])))
  }
  parts.push(enc.encode('4:info'), infoBuffer, enc.encode('e'))
  return Buffer.concat(parts)
}
