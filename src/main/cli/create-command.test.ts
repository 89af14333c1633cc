import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeTorrentFile } from '../engine/metainfo'
import { runCreate } from './create-command'

let dir: string
let source: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'seedling-create-cmd-'))
  source = path.join(dir, 'data.bin')
  await writeFile(source, Buffer.alloc(50_000, 7))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const base = { trackers: ['udp://t.example:1'], private: false, webSeeds: [] }

describe('runCreate', () => {
  it('writes the torrent and returns a summary with the info hash and magnet', async () => {
    const output = path.join(dir, 'out.torrent')
    const summary = await runCreate(source, { ...base, output, comment: 'c' })
    const meta = decodeTorrentFile(await readFile(output)).meta
    expect(summary).toContain(`Info hash: ${meta.infoHash}`)
    expect(summary).toContain(`Magnet:    ${meta.magnetURI}`)
    expect(summary).toContain('in 1 file')
    expect(meta.comment).toBe('c')
    // No temp files left behind.
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('refuses to overwrite unless forced', async () => {
    const output = path.join(dir, 'exists.torrent')
    await writeFile(output, 'keep me')
    await expect(runCreate(source, { ...base, output })).rejects.toThrow(
      /already exists \(use --force/,
    )
    expect(await readFile(output, 'utf8')).toBe('keep me')
    await runCreate(source, { ...base, output, force: true })
    expect(decodeTorrentFile(await readFile(output)).meta.name).toBe('data.bin')
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('fails cleanly when the output folder does not exist', async () => {
    await expect(
      runCreate(source, { ...base, output: path.join(dir, 'no', 'such', 'x.torrent') }),
    ).rejects.toThrow(/cannot write/)
  })
})
