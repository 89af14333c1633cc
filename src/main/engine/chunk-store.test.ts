import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SeedlingChunkStore } from './chunk-store'

const CHUNK = 8
let root: string
let dl: string
let outside: string

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'seedling-store-'))
  dl = path.join(root, 'dl')
  outside = path.join(root, 'outside')
  await fs.mkdir(dl)
  await fs.mkdir(outside)
  await fs.writeFile(path.join(outside, 'victim'), 'keep')
})
const opened: SeedlingChunkStore[] = []
afterEach(async () => {
  // Every store is closed, so no file handle is left for the garbage collector to close.
  for (const s of opened.splice(0)) await new Promise((r) => s.close(r))
  await fs.rm(root, { recursive: true, force: true })
})

// 5 + 0 + 14 bytes: chunk 0 spans a.bin and b.bin (and the empty file between them).
const FILES = [
  { path: 't/a.bin', length: 5, offset: 0 },
  { path: 't/empty', length: 0, offset: 5 },
  { path: 't/sub/b.bin', length: 14, offset: 5 },
]
const DATA = Buffer.from(Array.from({ length: 19 }, (_, i) => 65 + i))

const cb = <T>(fn: (done: (err: Error | null, v?: T) => void) => void): Promise<T | undefined> =>
  new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))))

function store(files = FILES, maxOpenFiles?: number): SeedlingChunkStore {
  const s = new SeedlingChunkStore(CHUNK, { path: dl, files, length: 19, maxOpenFiles })
  opened.push(s)
  return s
}

async function putAll(s: SeedlingChunkStore): Promise<void> {
  for (let i = 0; i * CHUNK < DATA.length; i++) {
    await cb((done) => s.put(i, DATA.subarray(i * CHUNK, (i + 1) * CHUNK), done))
  }
}

describe('SeedlingChunkStore', () => {
  it('maps pieces onto the files, creates empty files, and reads whole or partial pieces', async () => {
    const s = store(FILES, 1)
    await putAll(s)
    expect(await fs.readFile(path.join(dl, 't/a.bin'))).toEqual(DATA.subarray(0, 5))
    expect(await fs.readFile(path.join(dl, 't/sub/b.bin'))).toEqual(DATA.subarray(5))
    expect((await fs.stat(path.join(dl, 't/empty'))).size).toBe(0)
    expect(await cb<Uint8Array>((d) => s.get(0, d))).toEqual(DATA.subarray(0, 8))
    expect(await cb<Uint8Array>((d) => s.get(2, d))).toEqual(DATA.subarray(16))
    expect(await cb<Uint8Array>((d) => s.get(0, { offset: 3, length: 4 }, d))).toEqual(
      DATA.subarray(3, 7),
    )
    await cb((d) => s.close(d))
    await expect(cb((d) => s.get(0, d))).rejects.toThrow(/closed/)
  })

  it('exposes the real file paths webtorrent stats for resume', () => {
    expect(store().files.map((f) => f.path)).toEqual(FILES.map((f) => path.join(dl, f.path)))
    expect(SeedlingChunkStore.fileBacked).toBe(true)
  })

  it('refuses wrong piece sizes and a short file', async () => {
    const s = store()
    await expect(cb((d) => s.put(0, Buffer.alloc(3), d))).rejects.toThrow(/must be 8 bytes/)
    await cb((d) => s.put(0, DATA.subarray(0, 8), d))
    await expect(cb((d) => s.get(1, d))).rejects.toThrow()
  })

  it('refuses, when built, paths that leave the folder and links already on disk', async () => {
    for (const bad of ['..', '', '../x', 'a/../../x', 'a/./b']) {
      expect(() => store([{ path: bad, length: 19, offset: 0 }])).toThrow(/refusing/)
    }
    await fs.symlink(outside, path.join(dl, 't'))
    expect(() => store()).toThrow(
      `refusing to follow a symbolic link or junction in the download folder: ${path.join(dl, 't')}`,
    )
  })

  it('refuses a link planted after it was built: nothing is written or read through it', async () => {
    const s = store()
    await fs.mkdir(path.join(dl, 't'))
    await fs.symlink(path.join(outside, 'victim'), path.join(dl, 't/a.bin'))
    await expect(cb((d) => s.put(0, DATA.subarray(0, 8), d))).rejects.toThrow(
      path.join(dl, 't/a.bin'),
    )
    await expect(cb((d) => s.get(0, { offset: 0, length: 4 }, d))).rejects.toThrow(/symbolic link/)
    expect(await fs.readFile(path.join(outside, 'victim'), 'utf8')).toBe('keep')
  })

  it('destroy deletes the files, but only unlinks a link and never deletes through one', async () => {
    const s = store()
    await putAll(s)
    await fs.rm(path.join(dl, 't/sub'), { recursive: true })
    await fs.mkdir(path.join(outside, 'sub'))
    await fs.writeFile(path.join(outside, 'sub/b.bin'), 'keep')
    await fs.symlink(path.join(outside, 'sub'), path.join(dl, 't/sub'))
    await cb((d) => s.destroy(d))
    expect((await fs.readdir(path.join(dl, 't'))).sort()).toEqual(['sub'])
    expect(await fs.readFile(path.join(outside, 'sub/b.bin'), 'utf8')).toBe('keep')
  })

  it('keeps at most maxOpenFiles descriptors over many files', async () => {
    const files = Array.from({ length: 19 }, (_, i) => ({ path: `t/${i}`, length: 1, offset: i }))
    const s = store(files, 2)
    // Hooked into open to count this store's files only: the worker's other descriptors come and go.
    let open = 0
    let peak = 0
    const realOpen = fs.open.bind(fs)
    const spy = vi.spyOn(fs, 'open').mockImplementation(async (...args) => {
      const handle = await realOpen(...args)
      if (String(args[0]).startsWith(dl)) {
        peak = Math.max(peak, ++open)
        const close = handle.close.bind(handle)
        handle.close = () => (open--, close())
      }
      return handle
    })
    try {
      await putAll(s)
    } finally {
      spy.mockRestore()
    }
    expect(peak).toBeGreaterThan(0)
    expect(peak).toBeLessThanOrEqual(2)
    const hash = createHash('sha1')
    for (let i = 0; i < 3; i++) hash.update((await cb<Uint8Array>((d) => s.get(i, d)))!)
    expect(hash.digest('hex')).toBe(createHash('sha1').update(DATA).digest('hex'))
    await cb((d) => s.close(d))
  })

  it('never writes, opens or deletes a padding file, and reads its bytes as zeros', async () => {
    // 5 bytes, 3 of padding (aligning b.bin to chunk 1), then 11 bytes.
    const files = [
      { path: 't/a.bin', length: 5, offset: 0 },
      { path: 't/.pad/3', length: 3, offset: 5 },
      { path: 't/b.bin', length: 11, offset: 8 },
    ]
    const data = Buffer.from(DATA)
    data.fill(0, 5, 8)
    // A file of the user's where the padding would be: neither written, read nor deleted.
    await fs.mkdir(path.join(dl, 't/.pad'), { recursive: true })
    await fs.writeFile(path.join(dl, 't/.pad/3'), 'xyz')
    const s = new SeedlingChunkStore(CHUNK, { path: dl, files, length: 19, padding: [1] })
    opened.push(s)
    await cb((d) => s.put(0, Buffer.from(DATA.subarray(0, 8)), d))
    await cb((d) => s.put(1, data.subarray(8, 16), d))
    await cb((d) => s.put(2, data.subarray(16), d))
    expect(await fs.readFile(path.join(dl, 't/a.bin'))).toEqual(DATA.subarray(0, 5))
    expect(await fs.readFile(path.join(dl, 't/.pad/3'), 'utf8')).toBe('xyz')
    expect(await cb<Uint8Array>((d) => s.get(0, d))).toEqual(data.subarray(0, 8))
    expect(await cb<Uint8Array>((d) => s.get(0, { offset: 4, length: 3 }, d))).toEqual(
      Buffer.from([DATA[4]!, 0, 0]),
    )
    await cb((d) => s.destroy(d))
    await expect(fs.stat(path.join(dl, 't/a.bin'))).rejects.toThrow()
    expect(await fs.readFile(path.join(dl, 't/.pad/3'), 'utf8')).toBe('xyz')
  })

  it('a padding file alone in a piece needs no file at all', async () => {
    const files = [
      { path: 't/a.bin', length: 8, offset: 0 },
      { path: 't/.pad/8', length: 8, offset: 8 },
      { path: 't/b.bin', length: 3, offset: 16 },
    ]
    const s = new SeedlingChunkStore(CHUNK, { path: dl, files, length: 19, padding: [1] })
    opened.push(s)
    await cb((d) => s.put(1, Buffer.alloc(8, 7), d))
    expect(await cb<Uint8Array>((d) => s.get(1, d))).toEqual(Buffer.alloc(8))
    await expect(fs.stat(path.join(dl, 't/.pad'))).rejects.toThrow()
  })
})
