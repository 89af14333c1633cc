import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SeedlingError } from '@shared/api'
import type { DecodedTorrent } from './metainfo'
import { deleteTorrentData, moveTorrentData } from './torrent-data'

let root: string
let from: string
let to: string

const SEGMENTS = [
  ['t', 'a.bin'],
  ['t', 'sub', 'b.bin'],
  ['t', 'c.bin'],
]
const decoded = { files: SEGMENTS.map((segments) => ({ segments })) } as unknown as DecodedTorrent

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'seedling-data-'))
  from = path.join(root, 'from')
  to = path.join(root, 'to')
  for (const segments of SEGMENTS) {
    const file = path.join(from, ...segments)
    await fs.mkdir(path.dirname(file), { recursive: true })
    await fs.writeFile(file, segments.join('/'))
  }
})
afterEach(async () => {
  vi.restoreAllMocks()
  await fs.rm(root, { recursive: true, force: true })
})

async function tree(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true }).catch(() => [])
  return entries.map(String).sort()
}

describe('moveTorrentData', () => {
  it('moves every file and leaves no empty folder behind', async () => {
    await moveTorrentData(from, to, decoded)
    expect(await fs.readFile(path.join(to, 't/sub/b.bin'), 'utf8')).toBe('t/sub/b.bin')
    expect(await tree(from)).toEqual([])
  })

  it('refuses, moving nothing, when the torrent folder exists in the target', async () => {
    await fs.mkdir(path.join(to, 't'), { recursive: true })
    await fs.writeFile(path.join(to, 't/a.bin'), 'user')
    const err = await moveTorrentData(from, to, decoded).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SeedlingError)
    expect(err).toMatchObject({ code: 'duplicate' })
    expect((err as Error).message).toContain(path.join(to, 't'))
    expect(await fs.readFile(path.join(to, 't/a.bin'), 'utf8')).toBe('user')
    expect(await tree(from)).toEqual(['t', 't/a.bin', 't/c.bin', 't/sub', 't/sub/b.bin'])
  })

  it('moves the files already moved back when one fails', async () => {
    const link = fs.link.bind(fs)
    let calls = 0
    vi.spyOn(fs, 'link').mockImplementation(async (src, dst) => {
      if (++calls === 3) throw Object.assign(new Error('EIO: disk failed'), { code: 'EIO' })
      return link(src, dst)
    })
    await expect(moveTorrentData(from, to, decoded)).rejects.toThrow('EIO')
    expect(await tree(from)).toEqual(['t', 't/a.bin', 't/c.bin', 't/sub', 't/sub/b.bin'])
    expect(await fs.readFile(path.join(from, 't/a.bin'), 'utf8')).toBe('t/a.bin')
    expect(await tree(to)).toEqual([])
  })

  it('refuses a source with a link in the way', async () => {
    await fs.rm(path.join(from, 't/sub'), { recursive: true })
    await fs.mkdir(path.join(root, 'elsewhere'))
    await fs.symlink(path.join(root, 'elsewhere'), path.join(from, 't/sub'))
    await expect(moveTorrentData(from, to, decoded)).rejects.toThrow(/symbolic link/)
    expect(await tree(to)).toEqual([])
  })
})

describe('deleteTorrentData', () => {
  it('deletes the files and their empty folders, keeping the user files beside them', async () => {
    await fs.writeFile(path.join(from, 't/sub/mine.txt'), 'user')
    await deleteTorrentData(from, decoded)
    expect(await tree(from)).toEqual(['t', 't/sub', 't/sub/mine.txt'])
  })
})
