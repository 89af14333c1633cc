// qbittorrent-nox as a downloader in the download benchmark. It is a daemon, not a command that exits
// when done, so it is measured over the download rather than from spawn to exit: a fresh instance per
// run; wall from adding the torrent to complete (polled every 300 ms by the harness), CPU as the
// user+sys seconds it used over that span, peak RSS as its VmHWM afterwards (from /proc).
import { startQbittorrent } from '../test/interop/harness/qbittorrent'
import type { DownloadRun } from './download'
import { round } from './measure'
import { sampleProc } from './procstat'

export async function qbtDownloadRun(
  torrentFile: string,
  infoHash: string,
  seeder: string,
  dir: string,
  sizeBytes: number,
  timeoutMs: number,
): Promise<DownloadRun> {
  const qbt = await startQbittorrent()
  try {
    const pid = qbt.proc.pid
    if (pid === undefined) throw new Error('qbittorrent-nox has no pid')
    const before = await sampleProc(pid)
    const t0 = performance.now()
    await qbt.addTorrent(torrentFile, { savePath: dir })
    // Given the seeder directly, as aria2c and Seedling find it at their first announce: without it
    // qBittorrent's first announce and connect added seconds that are not download speed.
    await qbt.addPeers(infoHash, [seeder])
    await qbt.waitComplete(infoHash, timeoutMs)
    const wallMs = performance.now() - t0
    const after = await sampleProc(pid)
    const mib = sizeBytes / 2 ** 20
    return {
      wallMs: round(wallMs, 0),
      cpuS: round(after.cpuS - before.cpuS, 2),
      userS: null,
      sysS: null,
      peakRssMiB: after.peakRssMiB,
      mibPerS: round(mib / (wallMs / 1000), 1),
      transferMiBPerS: null,
      firstByteMs: null,
    }
  } finally {
    await qbt.stop()
  }
}
