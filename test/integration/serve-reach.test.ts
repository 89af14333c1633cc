/**
 * What a token holder can reach through `seedling serve`, over its real WebSocket API: only the download
 * folder and the --allow-root folders, by real path, and never a protected folder inside them. The server
 * runs as a child process with a temp HOME, so the home folder's protected folders are the test's own.
 * Loopback only.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTorrentFile } from '../../src/main/engine/create'
import { tempDir } from './helpers/engines'
import { writeSeededTree } from '../support/test-data'
import { fakeRenderer, openWs, WsPeer } from './helpers/remote'

const ROOT = path.resolve(__dirname, '../..')

let root: string
let home: string
let downloads: string
let media: string
let outside: string
let autostart: string
let child: ChildProcess
let peer: WsPeer
let stdout = ''
let stderr = ''

/** A .torrent made here (not through the server), for adds. */
let otherTorrent64: string

async function call(method: string, params?: unknown): Promise<Record<string, unknown>> {
  return peer.call(method, params)
}

async function refusedWith(method: string, params: unknown, pattern: RegExp): Promise<void> {
  const reply = await call(method, params)
  expect(reply.ok, `${method} ${JSON.stringify(params).slice(0, 200)}`).toBe(false)
  const error = reply.error as { message: string; code: string }
  expect(error.message).toMatch(pattern)
  expect(error.code).not.toBe('internal')
}

beforeAll(async () => {
  root = await fs.realpath(await tempDir('reach'))
  home = path.join(root, 'home')
  downloads = path.join(home, 'Downloads')
  media = path.join(root, 'media')
  outside = path.join(root, 'outside')
  autostart = path.join(home, '.config', 'autostart')
  await fs.mkdir(autostart, { recursive: true })
  await fs.mkdir(downloads, { recursive: true })
  await writeSeededTree(home, [{ path: '.ssh/id_ed25519', size: 400 }], 'serve-reach-1')
  await writeSeededTree(media, [{ path: 'movie.bin', size: 60_000 }], 'serve-reach-2')
  await writeSeededTree(outside, [{ path: 'secret.bin', size: 30_000 }], 'serve-reach-3')
  await fs.symlink('/etc', path.join(media, 'etc-link'))
  const { torrent } = await createTorrentFile({ path: path.join(outside, 'secret.bin') })
  otherTorrent64 = Buffer.from(torrent).toString('base64')
  const fake = await fakeRenderer()
  await fs.rename(fake.root, path.join(root, 'renderer-root'))

  const token = randomBytes(24).toString('base64url')
  child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/main/cli/index.ts',
      'serve',
      '--port',
      '0',
      '--state-dir',
      path.join(root, 'state'),
      '--dir',
      downloads,
      '--allow-root',
      media,
      // The home folder itself as a root: its protected folders must stay refused inside it.
      '--allow-root',
      home,
      '--renderer-dir',
      path.join(root, 'renderer-root', 'renderer'),
      '--no-dht',
      '--no-lsd',
      '--no-upnp',
      '--no-pex',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: '', SEEDLING_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const deadline = Date.now() + 30_000
  let port: string | undefined
  while (!(port = /serving on http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout)?.[1])) {
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`serve did not start: ${stdout}\n${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  const opened = await openWs(`ws://127.0.0.1:${port}/api`, {
    headers: { authorization: `Bearer ${token}` },
  })
  if (!opened.ok) throw new Error(`WebSocket refused: ${opened.status}`)
  peer = new WsPeer(opened.ws)
})

afterAll(async () => {
  peer?.close()
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(timer)
  }
  if (root) await fs.rm(root, { recursive: true, force: true })
})

describe('seedling serve: what a token holder can reach', () => {
  it('says at start which folders a token holder may use', () => {
    expect(stderr).toContain(`a token holder may use files in: ${downloads}, ${media}, ${home}`)
  })

  it('cannot hash and seed /etc, /etc/passwd, or /etc through a link inside a root', async () => {
    const outsideRoots = /is outside the folders this server may use .*--allow-root/
    await refusedWith('createTorrent', { requestId: 'a', path: '/etc' }, outsideRoots)
    await refusedWith('createTorrent', { requestId: 'b', path: '/etc/passwd' }, outsideRoots)
    await refusedWith(
      'createTorrent',
      { requestId: 'c', path: path.join(media, 'etc-link') },
      outsideRoots,
    )
    await refusedWith(
      'createTorrent',
      { requestId: 'd', path: path.join(outside, 'secret.bin') },
      outsideRoots,
    )
    expect(await call('listTorrents')).toEqual({ id: expect.any(Number), ok: true, value: [] })
  })

  it('cannot share keys or the whole home folder, though home is a root', async () => {
    await refusedWith(
      'createTorrent',
      { requestId: 'e', path: path.join(home, '.ssh', 'id_ed25519') },
      /protected folder/,
    )
    await refusedWith('createTorrent', { requestId: 'f', path: home }, /holds the protected/)
  })

  it('cannot add a torrent into ~/.config/autostart or the home folder; nothing is added', async () => {
    const source = { kind: 'file', data: otherTorrent64 }
    await refusedWith(
      'addTorrent',
      { source, downloadDir: autostart },
      /does not download into .*autostart is a protected folder/,
    )
    await refusedWith('addTorrent', { source, downloadDir: home }, /holds the protected/)
    await refusedWith('addTorrent', { source, downloadDir: outside }, /outside the folders/)
    await refusedWith('addTorrent', { source, downloadDir: 'relative/dir' }, /absolute path/)
    expect((await call('listTorrents')).value).toEqual([])
    expect(await fs.readdir(autostart)).toEqual([])
  })

  it('cannot point the download folder or a .torrent output there, nor widen its roots', async () => {
    await refusedWith('updateSettings', { downloadDir: autostart }, /protected folder/)
    await refusedWith('updateSettings', { downloadDir: outside }, /outside the folders/)
    await refusedWith(
      'createTorrent',
      {
        requestId: 'g',
        path: path.join(media, 'movie.bin'),
        outputPath: path.join(autostart, 'x.torrent'),
      },
      /does not write a \.torrent into/,
    )
    // Roots are not a setting: an attempt changes nothing.
    const widened = await call('updateSettings', { allowedRoots: ['/'] })
    expect(widened.ok).toBe(true)
    expect(widened.value).not.toHaveProperty('allowedRoots')
    await refusedWith('createTorrent', { requestId: 'h', path: '/etc' }, /outside the folders/)
    expect((await call('getSettings')).value).toMatchObject({ downloadDir: downloads })
  })

  it('an add into a folder that is a file fails naming it, and adds nothing', async () => {
    const file = path.join(media, 'movie.bin')
    await refusedWith(
      'addTorrent',
      { source: { kind: 'file', data: otherTorrent64 }, downloadDir: file },
      new RegExp(`the download folder ${file} is a file, not a folder`),
    )
    expect((await call('listTorrents')).value).toEqual([])
  })

  it('inside the roots everything works: share, add, move', async () => {
    const output = path.join(media, 'movie.torrent')
    const created = await call('createTorrent', {
      requestId: 'ok',
      path: path.join(media, 'movie.bin'),
      outputPath: output,
    })
    expect(created.ok, String(created.error)).toBe(true)
    expect((await fs.stat(output)).isFile()).toBe(true)

    const added = await call('addTorrent', {
      source: { kind: 'file', data: otherTorrent64 },
      downloadDir: path.join(downloads, 'new'),
    })
    expect(added.ok, String(added.error)).toBe(true)
    const infoHash = (added.value as { torrent: { infoHash: string } }).torrent.infoHash
    await refusedWith(
      'moveTorrent',
      { infoHash, downloadDir: path.join(outside, 'x') },
      /outside the folders/,
    )
    const moved = await call('moveTorrent', { infoHash, downloadDir: path.join(media, 'moved') })
    expect(moved.ok, String(moved.error)).toBe(true)
    const list = (await call('listTorrents')).value as Array<{ downloadDir: string }>
    expect(list.map((t) => t.downloadDir).sort()).toEqual([media, path.join(media, 'moved')])
  })
})

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI with the temp HOME; `until` ends it with SIGTERM once stdout matches. */
function cli(args: string[], until?: RegExp): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (until?.test(out)) proc.kill('SIGTERM')
    })
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const timer = setTimeout(() => {
      proc.kill('SIGKILL')
      reject(new Error(`seedling ${args.join(' ')} did not exit in 60 s: ${out}\n${err}`))
    }, 60_000)
    proc.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout: out, stderr: err })
    })
  })
}

describe('the CLI, not confined to roots', () => {
  const offline = ['--no-dht', '--no-lsd', '--no-upnp', '--no-pex']

  it('seeds a file straight from the home folder (only that file is in the torrent)', async () => {
    await writeSeededTree(home, [{ path: 'home-video.bin', size: 20_000 }], 'serve-reach-4')
    const run = await cli(['seed', path.join(home, 'home-video.bin'), ...offline], /^seeding /m)
    expect(run.stdout, run.stderr).toMatch(/^seeding home-video\.bin /m)
    expect(run.code).toBe(0)
  })

  it('will not download into the home folder or ~/.config/autostart: exit 2, one line', async () => {
    const torrentFile = path.join(outside, 'secret.torrent')
    await fs.writeFile(torrentFile, Buffer.from(otherTorrent64, 'base64'))
    for (const [dir, why] of [
      [home, /holds the protected/],
      [autostart, /autostart is a protected folder/],
      // Not created first and refused after: nothing may appear in autostart.
      [path.join(autostart, 'new-folder'), /autostart is a protected folder/],
    ] as const) {
      const run = await cli(['download', torrentFile, '--dir', dir, ...offline])
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr.trim().split('\n'), run.stderr).toHaveLength(1)
      expect(run.stderr).toMatch(why)
    }
    expect(await fs.readdir(autostart)).toEqual([])
  })
})
