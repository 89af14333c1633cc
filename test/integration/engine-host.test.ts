/**
 * The engine in a separate Node process (child_process.fork + tsx), driven through the host protocol:
 * calls round-trip, validation errors come back as messages, events arrive, and a SIGKILLed host is
 * restarted with the session intact.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { recordSkip } from '../support/external-tools'
import { EngineHostClient } from '../../src/main/engine-host/host-client'
import type { HostChannel, HostStatus } from '../../src/main/engine-host/host-client'
import { forkNodeHost } from '../../src/main/engine-host/node-channel'
import { SeedlingError } from '../../src/shared/api'
import type { TorrentSummary } from '../../src/shared/api'
import { LOOPBACK_ONLY, tempDir } from './helpers/engines'
import { writeSeededFile } from '../support/test-data'
import { existsSync, promises as fs } from 'node:fs'
import { createTorrentFile } from '../../src/main/engine/create'

async function makeTorrent(
  dir: string,
  name: string,
  size: number,
): Promise<{ torrent: Uint8Array }> {
  const file = path.join(dir, name)
  await writeSeededFile(file, size, 'engine-host', name)
  return createTorrentFile({ path: file })
}

const entry = path.resolve('src/main/engine-host/host-entry.ts')
const tsx = createRequire(import.meta.url).resolve('tsx')

let client: EngineHostClient | null = null
afterEach(async () => {
  await client?.close()
  client = null
})

async function startHost(stateDir: string, downloadDir: string) {
  const channels: Array<HostChannel & { pid?: number }> = []
  const c = await EngineHostClient.start({
    spawn: () => {
      const ch = forkNodeHost({ entry, execArgv: ['--import', tsx] })
      channels.push(ch)
      return ch
    },
    options: {
      stateDir,
      defaultDownloadDir: downloadDir,
      tickMs: 200,
      overrides: { ...LOOPBACK_ONLY, port: 0 },
    },
    backoffMs: () => 50,
  })
  return { client: c, channels }
}

describe('engine host over child_process.fork', () => {
  it('round-trips calls, reports validation errors, and forwards events', async () => {
    const state = await tempDir('host-state')
    const downloads = await tempDir('host-dl')
    const started = await startHost(state, downloads)
    client = started.client

    expect(await client.listTorrents()).toEqual([])
    const settings = await client.getSettings()
    expect(settings.dht).toBe(false)
    expect(settings.downloadDir).toBe(downloads)

    const err = await client.getTorrent({ infoHash: 'nope' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SeedlingError)
    expect((err as Error).message).toMatch(/invalid getTorrent request at infoHash/)

    const added = new Promise<TorrentSummary>((resolve) => client!.once('torrent:added', resolve))
    const { torrent } = await makeTorrent(downloads, 'host-file.bin', 64 * 1024)
    const result = await client.addTorrent({
      source: { kind: 'file', data: Buffer.from(torrent).toString('base64') },
      paused: true,
    })
    expect((await added).infoHash).toBe(result.torrent.infoHash)
    expect(await client.dataPath(result.torrent.infoHash)).toBe(
      path.join(downloads, 'host-file.bin'),
    )
  })

  it('rejects pending calls when the host is killed, restarts it, and the session survives', async () => {
    const state = await tempDir('host-state')
    const downloads = await tempDir('host-dl')
    const started = await startHost(state, downloads)
    client = started.client
    const { torrent } = await makeTorrent(downloads, 'survivor.bin', 32 * 1024)
    const { torrent: summary } = await client.addTorrent({
      source: { kind: 'file', data: Buffer.from(torrent).toString('base64') },
      paused: true,
    })

    const restarted = new Promise<HostStatus>((resolve) => client!.once('host:restarted', resolve))
    const pending = client.listTorrents()
    const first = started.channels[0]!
    process.kill(first.pid!, 'SIGKILL')
    const err = await pending.then(
      () => null,
      (e: unknown) => e,
    )
    // The call may have been answered before the signal landed; if not, it must be rejected clearly.
    if (err)
      expect((err as Error).message).toMatch(/engine stopped unexpectedly \(killed by SIGKILL\)/)

    const status = await restarted
    expect(status.state).toBe('running')
    expect(status.restarts).toBe(1)
    expect(started.channels).toHaveLength(2)
    const list = await client.listTorrents()
    expect(list.map((t) => t.infoHash)).toEqual([summary.infoHash])
  })

  const built = path.resolve('out/main/host-entry.js')
  const unbuilt = !existsSync(built)
  if (unbuilt)
    recordSkip({ suite: 'integration', needs: ['the built app (out/)'], command: 'npm run build' })
  it.skipIf(unbuilt)(
    'the built host-entry.js (electron-vite build output) runs under plain Node and closes cleanly',
    async () => {
      const state = await tempDir('host-state')
      client = await EngineHostClient.start({
        spawn: () => forkNodeHost({ entry: built }),
        options: {
          stateDir: state,
          defaultDownloadDir: state,
          overrides: { ...LOOPBACK_ONLY, port: 0 },
        },
      })
      expect(await client.listTorrents()).toEqual([])
      await client.close()
      client = null
      const session = JSON.parse(await fs.readFile(path.join(state, 'session.json'), 'utf8'))
      expect(session.cleanShutdown).toBe(true)
    },
  )
})
