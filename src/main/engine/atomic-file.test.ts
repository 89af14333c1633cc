import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { writeFileAtomic } from './atomic-file'

let root: string
let n = 0
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(tmpdir(), 'seedling-atomic-'))
})
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true })
})
afterEach(() => {
  vi.restoreAllMocks()
})

/** A fresh, empty folder per test. */
async function freshDir(): Promise<string> {
  const dir = path.join(root, `t${n++}`)
  await fs.mkdir(dir)
  return dir
}

async function leftovers(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((f) => /\.tmp(\.bak)?$/.test(f))
}

describe('writeFileAtomic', () => {
  it('writes a new file (string and bytes), creating missing folders, with owner-only mode', async () => {
    const dir = await freshDir()
    const file = path.join(dir, 'nested', 'deeper', 'a.json')
    await writeFileAtomic(file, '{"a":1}')
    expect(await fs.readFile(file, 'utf8')).toBe('{"a":1}')
    const bin = path.join(dir, 'b.bin')
    const bytes = new Uint8Array([0, 1, 2, 255, 0])
    await writeFileAtomic(bin, bytes)
    expect(new Uint8Array(await fs.readFile(bin))).toEqual(bytes)
    if (process.platform !== 'win32') {
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600)
    }
    expect(await leftovers(dir)).toEqual([])
    expect(await leftovers(path.join(dir, 'nested', 'deeper'))).toEqual([])
  })

  it('replaces an existing file and writes no .bak unless asked', async () => {
    const dir = await freshDir()
    const file = path.join(dir, 'a.txt')
    await writeFileAtomic(file, 'one')
    await writeFileAtomic(file, 'two, longer than one')
    await writeFileAtomic(file, '3')
    expect(await fs.readFile(file, 'utf8')).toBe('3')
    expect((await fs.readdir(dir)).sort()).toEqual(['a.txt'])
  })

  it('keeps the previous version as .bak when asked, and only the previous one', async () => {
    const dir = await freshDir()
    const file = path.join(dir, 's.json')
    // First write: nothing to back up, and that is not an error.
    await writeFileAtomic(file, 'v1', { keepBackup: true })
    expect(await fs.readFile(file, 'utf8')).toBe('v1')
    await expect(fs.stat(`${file}.bak`)).rejects.toMatchObject({ code: 'ENOENT' })

    await writeFileAtomic(file, 'v2', { keepBackup: true })
    expect(await fs.readFile(file, 'utf8')).toBe('v2')
    expect(await fs.readFile(`${file}.bak`, 'utf8')).toBe('v1')

    await writeFileAtomic(file, 'v3', { keepBackup: true })
    expect(await fs.readFile(file, 'utf8')).toBe('v3')
    expect(await fs.readFile(`${file}.bak`, 'utf8')).toBe('v2')

    // The backup is its own file: later writes to the main file do not change it.
    const [main, bak] = await Promise.all([fs.stat(file), fs.stat(`${file}.bak`)])
    expect(main.ino).not.toBe(bak.ino)
    expect((await fs.readdir(dir)).sort()).toEqual(['s.json', 's.json.bak'])
  })

  it('leaves the old file intact and no temp file when the rename fails', async () => {
    const dir = await freshDir()
    const file = path.join(dir, 's.json')
    await writeFileAtomic(file, 'old', { keepBackup: true })
    const rename = vi
      .spyOn(fs, 'rename')
      .mockRejectedValueOnce(
        Object.assign(new Error('EIO: simulated rename failure'), { code: 'EIO' }),
      )
    await expect(writeFileAtomic(file, 'new', { keepBackup: true })).rejects.toThrow(/simulated/)
    expect(rename).toHaveBeenCalledTimes(1)
    expect(await fs.readFile(file, 'utf8')).toBe('old')
    expect(await leftovers(dir)).toEqual([])
  })

  it('leaves the old file intact and no temp file when writing the data fails', async () => {
    const dir = await freshDir()
    const file = path.join(dir, 'a.txt')
    await writeFileAtomic(file, 'old')
    // A value FileHandle.writeFile refuses: the failure happens after the temp file was created.
    await expect(writeFileAtomic(file, 42 as unknown as string)).rejects.toThrow()
    expect(await fs.readFile(file, 'utf8')).toBe('old')
    expect(await leftovers(dir)).toEqual([])
  })

  it('fails without touching anything when the target is a folder', async () => {
    const dir = await freshDir()
    const target = path.join(dir, 'taken')
    await fs.mkdir(target)
    await fs.writeFile(path.join(target, 'inside.txt'), 'keep')
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow()
    await expect(writeFileAtomic(target, 'data', { keepBackup: true })).rejects.toThrow()
    expect((await fs.stat(target)).isDirectory()).toBe(true)
    expect(await fs.readFile(path.join(target, 'inside.txt'), 'utf8')).toBe('keep')
    expect(await leftovers(dir)).toEqual([])
  })

  it('concurrent writers to one file leave one complete version and no temp files', async () => {
    const dir = await freshDir()
    const file = path.join(dir, 'race.json')
    // Different lengths, so that two writers sharing a temp file would leave a mix of both.
    const versions = Array.from({ length: 8 }, (_, i) =>
      JSON.stringify({ v: i, pad: 'x'.repeat(5000 * (8 - i)) }),
    )
    const results = await Promise.allSettled(versions.map((v) => writeFileAtomic(file, v)))
    expect(results.map((r) => r.status)).toEqual(versions.map(() => 'fulfilled'))
    expect(versions).toContain(await fs.readFile(file, 'utf8'))
    expect(await leftovers(dir)).toEqual([])
  })

  it('concurrent writers with a backup all succeed and leave complete versions', async () => {
    const dir = await freshDir()
    const file = path.join(dir, 'session.json')
    await writeFileAtomic(file, 'initial', { keepBackup: true })
    const versions = Array.from({ length: 8 }, (_, i) => `v${i}:${'y'.repeat(3000 * (8 - i))}`)
    const results = await Promise.allSettled(
      versions.map((v) => writeFileAtomic(file, v, { keepBackup: true })),
    )
    expect(results.map((r) => r.status)).toEqual(versions.map(() => 'fulfilled'))
    expect(versions).toContain(await fs.readFile(file, 'utf8'))
    expect(['initial', ...versions]).toContain(await fs.readFile(`${file}.bak`, 'utf8'))
    expect(await leftovers(dir)).toEqual([])
  })

  it('never leaves the backup missing, whatever order many writers finish in', async () => {
    const dir = await freshDir()
    const file = path.join(dir, 'session.json')
    await writeFileAtomic(file, 'initial', { keepBackup: true })
    for (let round = 0; round < 10; round++) {
      const versions = Array.from({ length: 32 }, (_, i) => `r${round}v${i}`)
      await Promise.all(versions.map((v) => writeFileAtomic(file, v, { keepBackup: true })))
      expect(await fs.readFile(`${file}.bak`, 'utf8'), `round ${round}`).toMatch(
        /^(initial|r\d+v\d+)$/,
      )
    }
    expect(await leftovers(dir)).toEqual([])
  })
})
