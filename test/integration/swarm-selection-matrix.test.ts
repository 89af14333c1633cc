/**
 * File selection changed while data flows (issue 11 item 1): a file deselected midway stops being
 * fetched and the rest completes; selected again, it completes byte-exact; a magnet's selection made
 * once its metadata arrived is honoured. Uneven sizes put every file boundary inside a piece, and the
 * seeder is upload-limited so "midway" lasts seconds. Both as a .torrent and as a magnet link.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TorrentEngine } from '../../src/main/engine/engine'
import type { PieceMap, TorrentSource } from '../../src/shared/api'
import type { TorrentFixture } from '../support/torrent-builder'
import {
  closedAfterEach,
  fileSource,
  openEngine,
  sha1File,
  startSeeder,
  tempDir,
  waitForTorrent,
} from './helpers/engines'

const PIECE = 16 * 1024
/**
 * 1,161,114 bytes, 71 pieces. Boundaries: piece 6 holds f0|f1, 48 f1|f2, 50 f2|f3, 66 f3|f4.
 * f1 is pieces 6-48: its own pieces are 7-47.
 */
const SIZES = [100_003, 700_001, 33_333, 250_000, 77_777]
const FILES = SIZES.map((size, i) => ({ path: `f${i}.bin`, size }))
const TOTAL = SIZES.reduce((a, b) => a + b)
/** About 9 s for the whole torrent. */
const UPLOAD_LIMIT = 128 * 1024
/**
 * Pieces of a deselected file that may still arrive beyond those requested when it was deselected:
 * a request on its way from the stack to the socket as the pieces map was read.
 */
const SLACK_PIECES = 2

type Kind = 'torrent' | 'magnet'

function piecesOf(index: number): { first: number; last: number } {
  const offset = SIZES.slice(0, index).reduce((a, b) => a + b, 0)
  return {
    first: Math.floor(offset / PIECE),
    last: Math.floor((offset + SIZES[index]! - 1) / PIECE),
  }
}

function haveSet(map: PieceMap): Set<number> {
  const bits = Buffer.from(map.have, 'base64')
  const out = new Set<number>()
  for (let i = 0; i < map.pieceCount; i++) if (bits[i >> 3]! & (0x80 >> (i & 7))) out.add(i)
  return out
}

/**
 * The deselected files' own pieces (not those shared with a neighbour) that are verified now were
 * all asked for (or held) when they were deselected, give or take the slack.
 */
function expectNotFetchedSince(asked: Set<number>, have: Set<number>, deselected: number[]) {
  for (const index of deselected) {
    const { first, last } = piecesOf(index)
    const late: number[] = []
    for (let p = first + 1; p < last; p++) if (have.has(p) && !asked.has(p)) late.push(p)
    expect(
      late.length,
      `f${index}, fetched after its deselect: ${late.join(', ')}`,
    ).toBeLessThanOrEqual(SLACK_PIECES)
  }
}

describe('file selection while downloading', () => {
  const { engines, dirs } = closedAfterEach()

  async function swarm(
    name: string,
    kind: Kind,
  ): Promise<{ fixture: TorrentFixture; leecher: TorrentEngine; downloads: string }> {
    const root = await tempDir(name)
    dirs.push(root)
    const { fixture, seeder, peer } = await startSeeder(
      root,
      { files: FILES, pieceLength: PIECE, name: 'set', seed: name },
      (e) => engines.push(e),
    )
    expect(fixture.length).toBe(TOTAL)
    await seeder.updateSettings({ uploadLimit: UPLOAD_LIMIT })
    const downloads = path.join(root, 'downloads')
    const leecher = await openEngine(path.join(root, 'leech-state'), downloads, { peers: [peer] })
    engines.push(leecher)
    const source: TorrentSource =
      kind === 'torrent'
        ? fileSource(fixture)
        : { kind: 'magnet', uri: `magnet:?xt=urn:btih:${fixture.infoHash}&dn=set` }
    await leecher.addTorrent({ source })
    return { fixture, leecher, downloads }
  }

  async function expectExact(fixture: TorrentFixture, downloads: string, indexes: number[]) {
    for (const i of indexes) {
      const file = fixture.files[i]!
      expect(await sha1File(path.join(downloads, file.path)), file.path).toBe(
        await sha1File(file.absolutePath),
      )
    }
  }

  /** Polls the file list until file `index` is partly verified. */
  async function waitMidway(leecher: TorrentEngine, infoHash: string, index: number) {
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      const { files } = await leecher.getTorrent({ infoHash })
      const file = files[index]
      if (file && file.downloaded > 0 && file.downloaded < file.length / 2) return
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error(`file ${index} never came partly down`)
  }

  it.each<Kind>(['torrent', 'magnet'])(
    'via %s: a file deselected midway stops, the rest completes, and selected again it completes',
    async (kind) => {
      const { fixture, leecher, downloads } = await swarm(`select-midway-${kind}`, kind)
      const infoHash = fixture.infoHash
      await waitMidway(leecher, infoHash, 1)
      // f1 while it comes down, and f3 ahead of it, whose first piece f2 (kept) needs.
      await leecher.setFileSelection({
        infoHash,
        files: [
          { index: 1, selected: false },
          { index: 3, selected: false },
        ],
      })
      const atDeselect = await leecher.getPieces({ infoHash })
      const asked = new Set([...haveSet(atDeselect), ...atDeselect.inProgress])

      const done = await waitForTorrent(leecher, infoHash, (s) => s.status === 'seeding', 30_000)
      expect(done.selectedLength).toBe(TOTAL - SIZES[1]! - SIZES[3]!)
      expect(done.progress).toBe(1)
      await expectExact(fixture, downloads, [0, 2, 4])
      expectNotFetchedSince(asked, haveSet(await leecher.getPieces({ infoHash })), [1, 3])
      const { files } = await leecher.getTorrent({ infoHash })
      expect(files.map((f) => f.selected)).toEqual([true, false, true, false, true])
      expect(files[1]!.progress).toBeLessThan(1)

      await leecher.setFileSelection({
        infoHash,
        files: [
          { index: 1, selected: true },
          { index: 3, selected: true },
        ],
      })
      const again = await waitForTorrent(
        leecher,
        infoHash,
        (s) => s.selectedLength === TOTAL && s.status === 'seeding',
        30_000,
      )
      expect(again.progress).toBe(1)
      expect(again.completedLength).toBe(TOTAL)
      await expectExact(fixture, downloads, [0, 1, 2, 3, 4])
    },
    90_000,
  )

  it('via magnet: a selection made once the metadata arrived is the one downloaded', async () => {
    const { fixture, leecher, downloads } = await swarm('select-after-metadata', 'magnet')
    const infoHash = fixture.infoHash
    await waitForTorrent(leecher, infoHash, (s) => s.hasMetadata, 30_000)
    await leecher.setFileSelection({
      infoHash,
      files: [
        { index: 1, selected: false },
        { index: 3, selected: false },
      ],
    })
    const atSelect = await leecher.getPieces({ infoHash })
    const asked = new Set([...haveSet(atSelect), ...atSelect.inProgress])

    const done = await waitForTorrent(leecher, infoHash, (s) => s.status === 'seeding', 30_000)
    expect(done.selectedLength).toBe(SIZES[0]! + SIZES[2]! + SIZES[4]!)
    expect(done.progress).toBe(1)
    await expectExact(fixture, downloads, [0, 2, 4])
    const { files } = await leecher.getTorrent({ infoHash })
    expect(files.map((f) => f.selected)).toEqual([true, false, true, false, true])
    expect(files.filter((f) => f.selected).map((f) => f.progress)).toEqual([1, 1, 1])
    expectNotFetchedSince(asked, haveSet(await leecher.getPieces({ infoHash })), [1, 3])
  }, 90_000)
})
