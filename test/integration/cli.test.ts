import { spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from './helpers/engines'
import { writeSeededTree } from '../support/test-data'

const ROOT = path.resolve(__dirname, '../..')

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function cli(args: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`seedling ${args.join(' ')} did not exit in ${timeoutMs} ms`))
    }, timeoutMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

describe('seedling CLI', () => {
  let dir: string
  let torrentPath: string

  beforeAll(async () => {
    dir = await tempDir('cli')
    await writeSeededTree(
      dir,
      [
        { path: 'pack/one.bin', size: 50_000 },
        { path: 'pack/sub/two.bin', size: 20_000 },
      ],
      'cli-1',
    )
    torrentPath = path.join(dir, 'pack.torrent')
    const made = await cli([
      'create',
      path.join(dir, 'pack'),
      '-o',
      torrentPath,
      '--tracker',
      'http://127.0.0.1:6969/announce',
      '--comment',
      'hello',
      '--private',
    ])
    expect(made.code).toBe(0)
  })

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('info --json prints every field of the torrent it created', async () => {
    const run = await cli(['info', torrentPath, '--json'])
    expect(run.code).toBe(0)
    const info = JSON.parse(run.stdout)
    expect(info.infoHash).toMatch(/^[0-9a-f]{40}$/)
    expect(info.name).toBe('pack')
    expect(info.announce).toBe('http://127.0.0.1:6969/announce')
    expect(info.announceList).toEqual([['http://127.0.0.1:6969/announce']])
    expect(info.private).toBe(true)
    expect(info.comment).toBe('hello')
    expect(info.length).toBe(70_000)
    expect(info.files).toMatchObject([
      { path: 'pack/one.bin', length: 50_000, offset: 0 },
      { path: 'pack/sub/two.bin', length: 20_000, offset: 50_000 },
    ])
    expect(info.pieceCount).toBe(Math.ceil(70_000 / info.pieceLength))
    expect(info.magnetURI).toContain(`urn:btih:${info.infoHash}`)
    expect(new Date(info.creationDate).getTime()).toBeGreaterThan(0)
  })

  it('exits 2 with one line on stderr for bad input and bad usage', async () => {
    const garbage = path.join(dir, 'garbage.torrent')
    await fs.writeFile(garbage, 'd4:infoi1ee trailing')
    for (const args of [
      ['info', garbage],
      ['info', path.join(dir, 'missing.torrent')],
      ['info', 'magnet:?xt=urn:btih:xyz'],
      ['frobnicate'],
      ['download', torrentPath],
      ['info', torrentPath, '--bogus'],
    ]) {
      const run = await cli(args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(run.stderr).toMatch(/^seedling: /)
      expect(run.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('refuses to overwrite an existing .torrent unless --force', async () => {
    const run = await cli(['create', path.join(dir, 'pack'), '-o', torrentPath])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/exists/)
  })
})
