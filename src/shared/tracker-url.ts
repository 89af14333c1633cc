/**
 * Which tracker URLs Seedling announces to, and how many. Kept apart from schema.ts (which imports zod)
 * so that reading a .torrent (`seedling info`, metainfo.ts) does not load zod at start-up.
 */

/**
 * The most trackers a torrent announces to, from all sources together (the .torrent, `tr=` of a
 * magnet, trackers added by the user). Each is a connection and a timer; a magnet with thousands of
 * `tr=` would otherwise open thousands.
 */
export const MAX_TRACKERS_PER_TORRENT = 100

export const MAX_TRACKER_URL_LENGTH = 2048

/** Tracker protocols the stack announces to (ws: and wss: are WebTorrent's WebRTC trackers). */
export const TRACKER_URL_PROTOCOLS: readonly string[] = ['http:', 'https:', 'udp:', 'ws:', 'wss:']

/** True for a tracker URL we can announce to: a supported protocol, a host, no control characters. */
export function isTrackerUrl(s: string): boolean {
  return isUrlOf(s, TRACKER_URL_PROTOCOLS)
}

/** A URL of one of `protocols`, with a host, at most MAX_TRACKER_URL_LENGTH, no control characters. */
export function isUrlOf(s: string, protocols: readonly string[]): boolean {
  // The URL parser quietly drops tabs and newlines; a URL that holds them is not taken at all.
  // eslint-disable-next-line no-control-regex
  if (s.length > MAX_TRACKER_URL_LENGTH || /[\u0000-\u0020\u007f-\u009f]/.test(s)) return false
  let url: URL
  try {
    url = new URL(s)
  } catch {
    return false
  }
  return protocols.includes(url.protocol) && url.hostname !== ''
}
