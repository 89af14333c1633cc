import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { SessionFile, TorrentRecord } from './session'
import { emptySession, SESSION_VERSION, SessionStore } from './session'

const HASH_A = 'a'.repeat(40)
const HASH_B = '0123456789abcdef0123456789abcdef01234567'

let root: string
let n = 0
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(tmpdir(), 'seedling-session-'))
})
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true })
})
afterEach(() => {
  vi.restoreAllMocks()
})

async function freshStore(): Promise<SessionStore> {
  return new SessionStore(path.join(root, `s${n++}`))
}

function record(infoHash: string, extra: Partial<TorrentRecord> = {}): TorrentRecord {
  return {
    infoHash,
    name: `torrent ${infoHash.slice(0, 6)}`,
    magnetURI: `magnet:?xt=urn:btih:${infoHash}`,
    downloadDir: '/downloads',
    paused: false,
    selectedFiles: null,
    trackers: ['http://127.0.0.1:8000/announce'],
    peers: [],
    category: null,
    tags: [],
    addedAt: '2024-01-01T00:00:00.000Z',
    completedAt: null,
    downloadedTotal: 1234,
    uploadedTotal: 56,
    resume: {
      bitfield: Buffer.from([0xf0]).toString('base64'),
      fileModtimes: [1_700_000_000_000, null],
      fileSizes: [65_536, null],
    },
    ...extra,
  }
}

function session(torrents: TorrentRecord[], extra: Partial<SessionFile> = {}): SessionFile {
  return {
    version: SESSION_VERSION,
    cleanShutdown: true,
    savedAt: '2024-01-01T00:00:00.000Z',
    settings: { uploadLimit: 1000, dht: false },
    torrents,
    ...extra,
  }
}

/** What load must return for a saved session: everything but `savedAt`, which save() stamps. */
function withoutSavedAt(s: SessionFile): Omit<SessionFile, 'savedAt'> {
  const { savedAt: _savedAt, ...rest } = s
  return rest
}

async function corruptFiles(store: SessionStore): Promise<string[]> {
  return (await fs.readdir(store.stateDir)).filter((f) => f.startsWith('session.json.corrupt-'))
}

async function tmpFiles(store: SessionStore): Promise<string[]> {
  return (await fs.readdir(store.stateDir)).filter((f) => f.endsWith('.tmp'))
}

describe('SessionStore save and load', () => {
  it('starts empty, without a warning, when there is no session yet', async () => {
    const store = await freshStore()
    const { session: loaded, warning } = await store.load()
    expect(warning).toBeNull()
    expect(withoutSavedAt(loaded)).toEqual(withoutSavedAt(emptySession()))
    // load() prepares the folder for .torrent files
    expect((await fs.stat(path.join(store.stateDir, 'torrents'))).isDirectory()).toBe(true)
  })

  it('round-trips a session', async () => {
    const store = await freshStore()
    const saved = session([record(HASH_A), record(HASH_B, { paused: true, selectedFiles: [0, 2] })])
    await store.save(saved)
    const { session: loaded, warning } = await store.load()
    expect(warning).toBeNull()
    expect(withoutSavedAt(loaded)).toEqual(withoutSavedAt(saved))
    expect(Date.parse(loaded.savedAt)).toBeGreaterThan(Date.parse('2024-01-02'))
    expect(await tmpFiles(store)).toEqual([])
  })

  it('keeps the previous version as session.json.bak', async () => {
    const store = await freshStore()
    const first = session([record(HASH_A)], { cleanShutdown: false })
    const second = session([record(HASH_A), record(HASH_B)], { cleanShutdown: true })
    await store.save(first)
    await store.save(second)
    const bak = JSON.parse(await fs.readFile(`${store.file}.bak`, 'utf8')) as SessionFile
    expect(withoutSavedAt(bak)).toEqual(withoutSavedAt(first))
    const main = JSON.parse(await fs.readFile(store.file, 'utf8')) as SessionFile
    expect(withoutSavedAt(main)).toEqual(withoutSavedAt(second))
    expect(withoutSavedAt((await store.load()).session)).toEqual(withoutSavedAt(second))
  })

  it('keeps the torrents of a file written before resume data had fileSizes', async () => {
    const store = await freshStore()
    const old = record(HASH_A)
    const { fileSizes: _sizes, ...oldResume } = old.resume!
    await fs.mkdir(store.stateDir, { recursive: true })
    await fs.writeFile(
      store.file,
      JSON.stringify(session([{ ...old, resume: oldResume } as TorrentRecord])),
    )
    const { session: loaded, warning } = await store.load()
    expect(warning).toBeNull()
    expect(loaded.torrents.map((t) => t.infoHash)).toEqual([HASH_A])
    // Resume data the store cannot vouch for must not be trusted: dropped (a recheck) or kept whole.
    const resume = loaded.torrents[0]!.resume
    if (resume) expect(resume.fileModtimes).toEqual(oldResume.fileModtimes)
  })

  it('fills defaults for optional fields of older files (peers)', async () => {
    const store = await freshStore()
    const { peers: _peers, ...old } = record(HASH_A)
    await fs.mkdir(store.stateDir, { recursive: true })
    await fs.writeFile(store.file, JSON.stringify(session([old as TorrentRecord])))
    const { session: loaded, warning } = await store.load()
    expect(warning).toBeNull()
    expect(loaded.torrents[0]?.peers).toEqual([])
  })
})

describe('SessionStore with relative download folders (accepted by older versions)', () => {
  it('drops only the torrents with one, falls back to the default folder, and says so', async () => {
    const store = await freshStore()
    const kept = record(HASH_A, { downloadDir: '/data/a' })
    const relative = record(HASH_B, { name: 'relative one', downloadDir: 'downloads/b' })
    await fs.mkdir(store.stateDir, { recursive: true })
    await fs.writeFile(
      store.file,
      JSON.stringify(
        session([kept, relative], { settings: { downloadDir: 'dl', uploadLimit: 1000 } }),
      ),
    )
    const { session: loaded, warning } = await store.load()
    expect(loaded.torrents).toEqual([kept])
    expect(loaded.settings).toEqual({ uploadLimit: 1000 })
    expect(warning).toContain('the saved download folder "dl" is not an absolute path')
    expect(warning).toContain(`dropped the torrent "relative one" (${HASH_B})`)
    expect(warning).toContain('"downloads/b" is not an absolute path')
    // Nothing was taken for unusable: the file is read, not replaced by its backup.
    expect(await corruptFiles(store)).toEqual([])
  })

  it('resolves .. in an absolute folder instead of dropping it', async () => {
    const store = await freshStore()
    await fs.mkdir(store.stateDir, { recursive: true })
    await fs.writeFile(
      store.file,
      JSON.stringify(
        session([record(HASH_A, { downloadDir: '/data/x/../a' })], {
          settings: { downloadDir: '/data//dl' },
        }),
      ),
    )
    const { session: loaded, warning } = await store.load()
    expect(warning).toBeNull()
    expect(loaded.torrents[0]?.downloadDir).toBe('/data/a')
    expect(loaded.settings.downloadDir).toBe('/data/dl')
  })

  it('repairs a backup it restores, too', async () => {
    const store = await freshStore()
    await store.save(session([record(HASH_A, { downloadDir: 'rel' }), record(HASH_B)]))
    await store.save(session([record(HASH_A, { downloadDir: 'rel' }), record(HASH_B)]))
    await fs.writeFile(store.file, '{"version": 1, "torr')
    const { session: loaded, warning } = await store.load()
    expect(loaded.torrents.map((t) => t.infoHash)).toEqual([HASH_B])
    expect(warning).toMatch(/restored the previous version.*; dropped the torrent/)
  })
})

describe('SessionStore with an unusable session file', () => {
  const goodTorrents = [record(HASH_A)]

  /** Saves a good session twice (so .bak holds it too), then replaces session.json with `bytes`. */
  async function storeWithCorruptMain(bytes: string): Promise<SessionStore> {
    const store = await freshStore()
    await store.save(session(goodTorrents))
    await store.save(session(goodTorrents))
    await fs.writeFile(store.file, bytes)
    return store
  }

  const valid = JSON.stringify(session(goodTorrents))
  const cases: Array<{ name: string; bytes: string; reason: RegExp }> = [
    { name: 'garbage', bytes: '\u0000\u0001\u00ffnot json at all', reason: /not valid JSON/ },
    { name: 'empty', bytes: '', reason: /empty/ },
    { name: 'only whitespace', bytes: '  \n\t ', reason: /empty/ },
    {
      name: 'truncated JSON',
      bytes: valid.slice(0, Math.floor(valid.length / 2)),
      reason: /not valid JSON/,
    },
    {
      name: 'a newer version',
      bytes: JSON.stringify({ ...session(goodTorrents), version: SESSION_VERSION + 1 }),
      reason: /version/,
    },
    { name: 'a JSON array', bytes: '[]', reason: /top level/ },
    { name: 'JSON null', bytes: 'null', reason: /top level/ },
    {
      name: 'schema-invalid (torrents is not a list)',
      bytes: JSON.stringify({ ...session([]), torrents: 'nope' }),
      reason: /torrents/,
    },
    {
      name: 'schema-invalid (a record with a path as info hash)',
      bytes: JSON.stringify(session([record('../../../../etc/passwd')])),
      reason: /torrents\.0\.infoHash/,
    },
    {
      name: 'schema-invalid (negative totals)',
      bytes: JSON.stringify(session([record(HASH_A, { uploadedTotal: -1 })])),
      reason: /uploadedTotal/,
    },
  ]

  for (const c of cases) {
    it(`falls back to .bak when session.json is ${c.name}, and keeps the bad file`, async () => {
      const store = await storeWithCorruptMain(c.bytes)
      const { session: loaded, warning } = await store.load()
      expect(loaded.torrents.map((t) => t.infoHash)).toEqual([HASH_A])
      expect(warning).toMatch(/unusable/)
      expect(warning).toMatch(c.reason)
      expect(warning).toMatch(/session\.json\.bak/)
      const kept = await corruptFiles(store)
      expect(kept).toHaveLength(1)
      expect(await fs.readFile(path.join(store.stateDir, kept[0]!), 'utf8')).toBe(c.bytes)
    })
  }

  it('starts empty with a warning when both session.json and .bak are unusable', async () => {
    const store = await storeWithCorruptMain('{"version":1,')
    await fs.writeFile(`${store.file}.bak`, 'also broken')
    const { session: loaded, warning } = await store.load()
    expect(loaded.torrents).toEqual([])
    expect(loaded.settings).toEqual({})
    expect(warning).toMatch(/no usable backup/)
    expect(warning).toMatch(/empty session/)
    const kept = await corruptFiles(store)
    expect(kept).toHaveLength(1)
    expect(warning).toContain(kept[0])
    expect(await fs.readFile(path.join(store.stateDir, kept[0]!), 'utf8')).toBe('{"version":1,')
  })

  it('starts empty with a warning when session.json is unusable and there is no .bak', async () => {
    const store = await freshStore()
    await fs.mkdir(store.stateDir, { recursive: true })
    await fs.writeFile(store.file, 'garbage')
    const { session: loaded, warning } = await store.load()
    expect(loaded.torrents).toEqual([])
    expect(warning).toMatch(/no usable backup/)
    expect(await corruptFiles(store)).toHaveLength(1)
  })

  it('after falling back, the next save still leaves a usable .bak (not the corrupt bytes)', async () => {
    const store = await storeWithCorruptMain('garbage')
    const { session: loaded, warning } = await store.load()
    expect(warning).toMatch(/session\.json\.bak/)
    // What the engine does right after loading: save the session back, marked as running.
    await store.save({ ...loaded, cleanShutdown: false })
    const bak = await fs.readFile(`${store.file}.bak`, 'utf8')
    expect(bak).not.toBe('garbage')
    // So a second corruption of session.json still finds the torrents in the backup.
    await fs.writeFile(store.file, '')
    const again = await store.load()
    expect(again.session.torrents.map((t) => t.infoHash)).toEqual([HASH_A])
  })
})

describe('SessionStore crash safety', () => {
  it('ignores a temp file left by a crash mid-write', async () => {
    const store = await freshStore()
    await store.save(session([record(HASH_A)]))
    // What a crash between "write temp" and "rename" leaves: a partial temp file beside session.json.
    await fs.writeFile(`${store.file}.4242.1700000000000.tmp`, '{"version":1,"cleanSh')
    const { session: loaded, warning } = await store.load()
    expect(warning).toBeNull()
    expect(loaded.torrents.map((t) => t.infoHash)).toEqual([HASH_A])
    // The next save is not disturbed by it either.
    await store.save(session([record(HASH_A), record(HASH_B)]))
    expect((await store.load()).session.torrents).toHaveLength(2)
  })

  it('keeps the previous session when the rename fails, and leaves no temp file', async () => {
    const store = await freshStore()
    const before = session([record(HASH_A)])
    await store.save(before)
    const onDisk = await fs.readFile(store.file, 'utf8')
    const rename = vi
      .spyOn(fs, 'rename')
      .mockRejectedValueOnce(Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' }))
    await expect(store.save(session([record(HASH_B)]))).rejects.toThrow(/simulated/)
    expect(rename).toHaveBeenCalledTimes(1)
    expect(await fs.readFile(store.file, 'utf8')).toBe(onDisk)
    expect(await tmpFiles(store)).toEqual([])
    const { session: loaded, warning } = await store.load()
    expect(warning).toBeNull()
    expect(withoutSavedAt(loaded)).toEqual(withoutSavedAt(before))
  })

  it('keeps the previous session when writing the temp file fails', async () => {
    const store = await freshStore()
    await store.save(session([record(HASH_A)]))
    const onDisk = await fs.readFile(store.file, 'utf8')
    const open = vi
      .spyOn(fs, 'open')
      .mockRejectedValueOnce(Object.assign(new Error('EACCES: simulated'), { code: 'EACCES' }))
    await expect(store.save(session([record(HASH_B)]))).rejects.toThrow(/simulated/)
    expect(open).toHaveBeenCalled()
    expect(await fs.readFile(store.file, 'utf8')).toBe(onDisk)
    expect(await tmpFiles(store)).toEqual([])
  })

  it('cannot replace session.json when it is a folder, and touches nothing inside it', async () => {
    const store = await freshStore()
    await fs.mkdir(store.file, { recursive: true })
    await fs.writeFile(path.join(store.file, 'keep.txt'), 'x')
    await expect(store.save(session([record(HASH_A)]))).rejects.toThrow()
    expect(await fs.readFile(path.join(store.file, 'keep.txt'), 'utf8')).toBe('x')
    expect(await tmpFiles(store)).toEqual([])
    // Loading reports it instead of crashing.
    const { session: loaded, warning } = await store.load()
    expect(loaded.torrents).toEqual([])
    expect(warning).toMatch(/cannot read it/)
  })
})

describe('SessionStore .torrent files', () => {
  it('saves, reads and deletes a .torrent by info hash', async () => {
    const store = await freshStore()
    await store.load()
    const bytes = new Uint8Array([100, 101, 0, 255, 101])
    await store.saveTorrentFile(HASH_B, bytes)
    expect(store.torrentFilePath(HASH_B)).toBe(
      path.join(store.stateDir, 'torrents', `${HASH_B}.torrent`),
    )
    expect(new Uint8Array((await store.readTorrentFile(HASH_B))!)).toEqual(bytes)
    await store.saveTorrentFile(HASH_B, new Uint8Array([1]))
    expect(new Uint8Array((await store.readTorrentFile(HASH_B))!)).toEqual(new Uint8Array([1]))
    await store.deleteTorrentFile(HASH_B)
    expect(await store.readTorrentFile(HASH_B)).toBeNull()
    // Deleting twice, or reading one that never existed, is not an error.
    await store.deleteTorrentFile(HASH_B)
    expect(await store.readTorrentFile(HASH_A)).toBeNull()
    expect(await fs.readdir(path.join(store.stateDir, 'torrents'))).toEqual([])
  })

  it('works before load() created the folder', async () => {
    const store = await freshStore()
    await store.saveTorrentFile(HASH_A, new Uint8Array([7]))
    expect(new Uint8Array((await store.readTorrentFile(HASH_A))!)).toEqual(new Uint8Array([7]))
  })

  const badHashes = [
    '../../../../etc/passwd',
    `../${'a'.repeat(37)}`,
    `${'a'.repeat(39)}/`,
    'A'.repeat(40),
    'a'.repeat(39),
    'a'.repeat(41),
    'g'.repeat(40),
    `${'a'.repeat(40)}\u0000`,
    '',
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  ]
  for (const bad of badHashes) {
    it(`rejects ${JSON.stringify(bad)} as an info hash for a .torrent path`, async () => {
      const store = await freshStore()
      expect(() => store.torrentFilePath(bad)).toThrow(/40 lowercase hex/)
      await expect(store.saveTorrentFile(bad, new Uint8Array([1]))).rejects.toThrow()
      await expect(store.readTorrentFile(bad)).rejects.toThrow()
      await expect(store.deleteTorrentFile(bad)).rejects.toThrow()
      // Nothing was written anywhere under the state folder's parent.
      await expect(fs.stat(store.stateDir)).rejects.toMatchObject({ code: 'ENOENT' })
    })
  }
})
