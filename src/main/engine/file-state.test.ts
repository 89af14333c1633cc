import { describe, expect, it } from 'vitest'
import type { FileStamp } from './file-state'
import { FileStateRecorder } from './file-state'

// Two files over pieces of 10 bytes: file 0 is bytes 0-14 (pieces 0-1), file 1 bytes 15-29 (1-2).
const FILES = [
  { offset: 0, length: 15 },
  { offset: 15, length: 15 },
]

/** A stat whose answers the test releases by hand, in any order. */
function manualStat() {
  const calls: Array<{ index: number; answer: (s: FileStamp | null) => void }> = []
  const stat = (index: number) =>
    new Promise<FileStamp | null>((resolve) => calls.push({ index, answer: resolve }))
  return { calls, stat }
}

describe('FileStateRecorder', () => {
  it('starts from the resume data it was attached with', async () => {
    const rec = new FileStateRecorder(FILES, 10, async () => null, {
      fileModtimes: [111, null],
      fileSizes: [15, 15],
    })
    expect(await rec.snapshot()).toEqual({ fileModtimes: [111, null], fileSizes: [15, null] })
  })

  it('records every file a verified piece overlaps, and only those', async () => {
    const { calls, stat } = manualStat()
    const rec = new FileStateRecorder(FILES, 10, stat)
    rec.pieceVerified(0)
    expect(calls.map((c) => c.index)).toEqual([0])
    rec.pieceVerified(1)
    // File 0 already has a stat running: it gets one more after it, not a second at once.
    expect(calls.map((c) => c.index)).toEqual([0, 1])
    for (const c of calls) c.answer({ mtime: 500 + c.index, size: 15 })
    await new Promise((r) => setImmediate(r))
    expect(calls.map((c) => c.index)).toEqual([0, 1, 0])
    calls[2]!.answer({ mtime: 600, size: 15 })
    expect(await rec.snapshot()).toEqual({ fileModtimes: [600, 501], fileSizes: [15, 15] })
  })

  it('keeps the answer of a stat issued after the last verified piece', async () => {
    const { calls, stat } = manualStat()
    const rec = new FileStateRecorder(FILES, 10, stat)
    rec.pieceVerified(0)
    rec.pieceVerified(0)
    rec.pieceVerified(0)
    expect(calls).toHaveLength(1)
    calls[0]!.answer({ mtime: 1000, size: 10 })
    await new Promise((r) => setImmediate(r))
    expect(calls).toHaveLength(2)
    calls[1]!.answer({ mtime: 2000, size: 15 })
    expect(await rec.snapshot()).toEqual({ fileModtimes: [2000, null], fileSizes: [15, null] })
  })

  it('snapshot waits for stats still in flight, and a failed stat records nothing trusted', async () => {
    const rec = new FileStateRecorder(
      FILES,
      10,
      (i) =>
        i === 0
          ? new Promise((r) => setTimeout(() => r({ mtime: 7, size: 15 }), 20))
          : Promise.reject(new Error('EIO')),
      { fileModtimes: [1, 1], fileSizes: [15, 15] },
    )
    rec.pieceVerified(1)
    expect(await rec.snapshot()).toEqual({ fileModtimes: [7, null], fileSizes: [15, null] })
  })

  it('a state recorded at verification is kept: a later change on disk is not picked up', async () => {
    let onDisk: FileStamp = { mtime: 100, size: 15 }
    const rec = new FileStateRecorder(FILES, 10, async () => onDisk)
    rec.pieceVerified(0)
    await rec.snapshot()
    onDisk = { mtime: 999, size: 15 }
    expect((await rec.snapshot()).fileModtimes[0]).toBe(100)
  })
})
