/**
 * WebRTC peers need the native node-datachannel module, which installs only where its prebuilt binary can
 * be fetched. When it is absent Seedling runs TCP and uTP peers only and says so in the UI and CLI.
 */
import type { WebRtcStatus } from '@shared/api'

/** `available`: whether the backend found WebRTC support (TorrentBackend.webrtcAvailable). */
export function webrtcStatus(available: boolean): WebRtcStatus {
  if (available) return { available: true, note: null }
  return {
    available: false,
    note: 'WebRTC peers are off: the native node-datachannel module is not installed, so Seedling connects over TCP and uTP only.',
  }
}
