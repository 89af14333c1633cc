// Starts `js-tracker-server.mjs` (bittorrent-tracker's Server, HTTP only, 127.0.0.1) in a child process.
// Unlike Debian's opentracker it is open: any info hash may be announced, which suits torrents whose
// hash is only known once the client under test has created them.
import { fileURLToPath } from 'node:url'
import { getFreePort } from './ports'
import { spawnTracked } from './proc'
import type { TrackedProcess } from './proc'

export interface JsTracker {
  port: number
  announceUrl: string
  proc: TrackedProcess
  stop(): Promise<void>
}

export async function startJsTracker(): Promise<JsTracker> {
  const port = await getFreePort()
  const script = fileURLToPath(new URL('./js-tracker-server.mjs', import.meta.url))
  const proc = spawnTracked('js-tracker', process.execPath, [script, String(port)])
  const t: JsTracker = {
    port,
    announceUrl: `http://127.0.0.1:${port}/announce`,
    proc,
    stop: async () => void (await proc.stop('SIGTERM', 3_000)),
  }
  try {
    await proc.waitForLine(/^listening /, 15_000)
  } catch (err) {
    await t.stop()
    throw err
  }
  return t
}
