import { execFileSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  findUnsafeEntrySync,
  LinkInTheWayError,
  openInside,
  removeEmptyFolderInside,
  removeInside,
} from './safe-open'
import { UnsafePathError } from './safe-path'

let root: string
let dl: string
let outside: string

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'seedling-safe-open-'))
  dl = path.join(root, 'dl')
  outside = path.join(root, 'outside')
  await fs.mkdir(dl)
  await fs.mkdir(outside)
  await fs.writeFile(path.join(outside, 'victim'), 'keep')
})
afterEach(() => fs.rm(root, { recursive: true, force: true }))

describe('openInside', () => {
  it('creates the file and its folders for writing, and reads it back', async () => {
    const h = await openInside(dl, ['t', 'sub', 'f.bin'], 'write')
    await h.write(Buffer.from('hello'), 0, 5, 0)
    await h.close()
    const r = await openInside(dl, ['t', 'sub', 'f.bin'], 'read')
    expect((await r.readFile()).toString()).toBe('hello')
    await r.close()
  })

  it('refuses a link where the file is, for writing and for reading', async () => {
    await fs.symlink(path.join(outside, 'victim'), path.join(dl, 'f.bin'))
    for (const mode of ['write', 'read'] as const) {
      const err = await openInside(dl, ['f.bin'], mode).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(LinkInTheWayError)
      expect((err as Error).message).toContain(path.join(dl, 'f.bin'))
    }
    expect(await fs.readFile(path.join(outside, 'victim'), 'utf8')).toBe('keep')
  })

  it('refuses a linked folder on the way, and creates nothing through it', async () => {
    await fs.mkdir(path.join(dl, 't'))
    await fs.symlink(outside, path.join(dl, 't', 'sub'))
    const err = await openInside(dl, ['t', 'sub', 'new.bin'], 'write').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LinkInTheWayError)
    expect((err as Error).message).toContain(path.join(dl, 't', 'sub'))
    expect((await fs.readdir(outside)).sort()).toEqual(['victim'])
  })

  it('accepts a download folder that is itself a link', async () => {
    const linkedRoot = path.join(root, 'linked-dl')
    await fs.symlink(dl, linkedRoot)
    const h = await openInside(linkedRoot, ['f.bin'], 'write')
    await h.close()
    expect((await fs.readdir(dl)).sort()).toEqual(['f.bin'])
  })

  it('refuses a folder or a FIFO where the file goes, without blocking', async () => {
    await fs.mkdir(path.join(dl, 'dir.bin'))
    await expect(openInside(dl, ['dir.bin'], 'read')).rejects.toThrow()
    if (process.platform === 'win32') return
    execFileSync('mkfifo', [path.join(dl, 'pipe.bin')])
    await expect(openInside(dl, ['pipe.bin'], 'read')).rejects.toBeInstanceOf(UnsafePathError)
  })

  it('refuses path elements that leave the folder', async () => {
    await expect(openInside(dl, ['..', 'outside', 'victim'], 'write')).rejects.toBeInstanceOf(
      UnsafePathError,
    )
  })

  it('reports a missing file as ENOENT when reading, creating nothing', async () => {
    await expect(openInside(dl, ['t', 'f.bin'], 'read')).rejects.toMatchObject({ code: 'ENOENT' })
    expect(await fs.readdir(dl)).toEqual([])
  })
})

describe('findUnsafeEntrySync', () => {
  it('names the first link at or above a file, and a folder where a file goes', async () => {
    await fs.mkdir(path.join(dl, 't'))
    expect(findUnsafeEntrySync(dl, [['t', 'a.bin']])).toBeNull()
    await fs.symlink(outside, path.join(dl, 't', 'b'))
    expect(
      findUnsafeEntrySync(dl, [
        ['t', 'a.bin'],
        ['t', 'b', 'c.bin'],
      ])?.message,
    ).toContain(path.join(dl, 't', 'b'))
    await fs.mkdir(path.join(dl, 't', 'a.bin'))
    expect(findUnsafeEntrySync(dl, [['t', 'a.bin']])?.message).toMatch(/folder is where/)
  })
})

describe('removeInside', () => {
  it('unlinks a link where the file is, never its target', async () => {
    await fs.symlink(path.join(outside, 'victim'), path.join(dl, 'f.bin'))
    expect(await removeInside(dl, ['f.bin'])).toBe('link-removed')
    expect(await fs.readFile(path.join(outside, 'victim'), 'utf8')).toBe('keep')
  })

  it('deletes nothing below a linked folder, and never a folder', async () => {
    await fs.mkdir(path.join(dl, 't'))
    await fs.symlink(outside, path.join(dl, 't', 'sub'))
    expect(await removeInside(dl, ['t', 'sub', 'victim'])).toBe('link-above')
    expect(await fs.readFile(path.join(outside, 'victim'), 'utf8')).toBe('keep')
    await fs.mkdir(path.join(dl, 't', 'dir.bin'))
    await fs.writeFile(path.join(dl, 't', 'dir.bin', 'user'), 'x')
    expect(await removeInside(dl, ['t', 'dir.bin'])).toBe('kept-folder')
    expect(await removeInside(dl, ['t', 'missing.bin'])).toBe('missing')
  })

  it('removes a regular file, and empty folders but not linked ones', async () => {
    await fs.mkdir(path.join(dl, 't', 'e'), { recursive: true })
    await fs.writeFile(path.join(dl, 't', 'f.bin'), 'x')
    expect(await removeInside(dl, ['t', 'f.bin'])).toBe('removed')
    await removeEmptyFolderInside(dl, ['t', 'e'])
    await fs.mkdir(path.join(outside, 'empty'))
    await fs.symlink(path.join(outside, 'empty'), path.join(dl, 't', 'l'))
    await removeEmptyFolderInside(dl, ['t', 'l'])
    expect(await fs.readdir(path.join(dl, 't'))).toEqual(['l'])
    expect((await fs.readdir(outside)).sort()).toEqual(['empty', 'victim'])
  })
})
