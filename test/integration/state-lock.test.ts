/**
 * One engine per state folder: a second TorrentEngine.open, or a second `seedling` process, on a folder in
 * use fails at once with one clear line and leaves the first's session alone; a lock left by a killed
 * process is taken over. Loopback only.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createTorrentFile } from '../../src/main/engine/create'
import type { TorrentEngine } from '../../src/main/engine/engine'
import { LOCK_FILE } from '../../src/main/engine/state-lock'
import { openEngine, tempDir, waitForTorrent } from './helpers/engines'
import { writeSeededTree } from '../support/test-data'
import { fakeRenderer } from './helpers/remote'

const ROOT = path.resolve(__dirname, '../..')
const dirs: string[] = []
const engines: TorrentEngine[] = []
const children: ChildProcess[] = []

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  await Promise.all(engines.splice(0).map((e) => e.close()))
  await Promise.all(dirs.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })))
})

async function newDir(prefix: string): Promise<string> {
  const dir = await tempDir(prefix)
  dirs.push(dir)
  return dir
}

async function open(state: string, downloads: string): Promise<TorrentEngine> {
  const engine = await openEngine(state, downloads)
  engines.push(engine)
  return engine
}

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function startCli(args: string[]): { child: ChildProcess; output: () => Run; done: Promise<Run> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const output = (): Run => ({ code: child.exitCode, stdout, stderr })
  const done = new Promise<Run>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`seedling ${args.join(' ')} did not exit in 60 s`))
    }, 60_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
  return { child, output, done }
}

async function sharedTorrent(root: string): Promise<{ data64: string; file: string }> {
  const data = path.join(root, 'data')
  await writeSeededTree(data, [{ path: 'one.bin', size: 40_000 }], 'state-lock-1')
  const { torrent } = await createTorrentFile({ path: path.join(data, 'one.bin') })
  const file = path.join(root, 'one.torrent')
  await fs.writeFile(file, torrent)
  return { data64: Buffer.from(torrent).toString('base64'), file }
}

describe('the state folder lock', () => {
  it('a second engine on the same state folder fails fast; the first keeps its torrents', async () => {
    const root = await newDir('lock')
    const state = path.join(root, 'state')
    const data = path.join(root, 'data')
    const { data64 } = await sharedTorrent(root)
    const first = await open(state, data)
    const { torrent } = await first.addTorrent({ source: { kind: 'file', data: data64 } })
    await waitForTorrent(first, torrent.infoHash, (s) => s.status === 'seeding')

    const started = Date.now()
    await expect(openEngine(state, path.join(root, 'other'))).rejects.toThrow(
      `Seedling is already running with this state folder (pid ${process.pid}): ${state}`,
    )
    expect(Date.now() - started).toBeLessThan(5_000)

    // The refused engine neither read nor wrote the session: the first's torrent is there, and stays.
    expect((await first.listTorrents()).map((t) => t.infoHash)).toEqual([torrent.infoHash])
    await first.close()
    engines.splice(engines.indexOf(first), 1)
    const saved = JSON.parse(await fs.readFile(path.join(state, 'session.json'), 'utf8'))
    expect(saved.torrents.map((t: { infoHash: string }) => t.infoHash)).toEqual([torrent.infoHash])
    await expect(fs.access(path.join(state, LOCK_FILE))).rejects.toThrow()

    // Closed, the folder is free again, with everything in it.
    const again = await open(state, data)
    expect((await again.listTorrents()).map((t) => t.infoHash)).toEqual([torrent.infoHash])
  })

  it('the CLI (download, serve) exits 1 with one line naming the running pid', async () => {
    const root = await newDir('lock-cli')
    const state = path.join(root, 'state')
    const { file } = await sharedTorrent(root)
    await open(state, path.join(root, 'data'))
    const line = `seedling: Seedling is already running with this state folder (pid ${process.pid}): ${state}`
    for (const args of [
      ['download', file, '--dir', path.join(root, 'dl'), '--state-dir', state, '--no-dht'],
      ['serve', '--state-dir', state, '--port', '0', '--no-dht', '--no-lsd', '--no-upnp'],
    ]) {
      const run = await startCli(args).done
      expect(run.code, args[0]).toBe(1)
      expect(run.stderr.trim().split('\n'), args[0]).toEqual([line])
      expect(run.stdout, args[0]).toBe('')
    }
    const saved = JSON.parse(await fs.readFile(path.join(state, 'session.json'), 'utf8'))
    expect(saved.cleanShutdown).toBe(false)
  })

  it('a lock left by a killed process is taken over', async () => {
    const root = await newDir('lock-stale')
    const state = path.join(root, 'state')
    const fake = await fakeRenderer()
    dirs.push(fake.root)
    const serve = startCli([
      'serve',
      '--state-dir',
      state,
      '--dir',
      path.join(root, 'dl'),
      '--port',
      '0',
      '--renderer-dir',
      fake.rendererDir,
      '--no-dht',
      '--no-lsd',
      '--no-upnp',
      '--no-pex',
    ])
    const deadline = Date.now() + 30_000
    while (!serve.output().stdout.includes('Seedling is serving on')) {
      if (Date.now() > deadline || serve.output().code !== null) {
        throw new Error(`serve did not start: ${JSON.stringify(serve.output())}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    const pid = serve.child.pid!
    expect((await fs.readFile(path.join(state, LOCK_FILE), 'utf8')).split('\n')[0]).toBe(
      String(pid),
    )
    serve.child.kill('SIGKILL')
    await serve.done
    // Killed outright, it could not remove its lock; its pid is no longer running.
    expect((await fs.readFile(path.join(state, LOCK_FILE), 'utf8')).split('\n')[0]).toBe(
      String(pid),
    )
    const engine = await open(state, path.join(root, 'dl'))
    expect(await engine.listTorrents()).toEqual([])
    expect((await fs.readFile(path.join(state, LOCK_FILE), 'utf8')).split('\n')[0]).toBe(
      String(process.pid),
    )
  })
})
