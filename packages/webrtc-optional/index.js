// node-datachannel needs a prebuilt binary (or a cmake build that fetches sources) at install time, which
// fails on machines without internet. Seedling installs the real polyfill as an optional dependency
// ("webrtc-polyfill-upstream"); when it is missing, these exports are undefined, simple-peer sets
// WEBRTC_SUPPORT to false and webtorrent keeps to TCP and uTP peers. src/main/engine/webrtc.ts reports which.
let impl = {}
let loadError = null
try {
  impl = await import('webrtc-polyfill-upstream')
} catch (err) {
  loadError = err instanceof Error ? err.message : String(err)
}

export const RTCPeerConnection = impl.RTCPeerConnection
export const RTCSessionDescription = impl.RTCSessionDescription
export const RTCIceCandidate = impl.RTCIceCandidate
export const RTCDataChannel = impl.RTCDataChannel
export const webrtcLoadError = loadError
export default impl
