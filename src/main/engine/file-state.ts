/**
 * Each file's size and mtime as they were when its data was last verified. Resume data saved at a
 * clean stop carries these, not fresh stats: a file edited after verification (while seeding, say)
 * then no longer matches at the next start, and its pieces are hashed again instead of trusted.
 */
import { promises as fs } from 'node:fs'
import { resolveInside } from './safe-path'

export interface FileStamp {
  mtime: number
  size: number
}

export interface RecordedStates {
  fileModtimes: Array<number | null>
  fileSizes: Array<number | null>
}

interface LayoutFile {
  offset: number
  length: number
}

export type StatFile = (index: number) => Promise<FileStamp | null>

/** Stats a torrent file at its place below root without following a link (a link is no file). */
export function statTorrentFile(
  root: string,
  segments: readonly string[],
): Promise<FileStamp | null> {
  return fs.lstat(resolveInside(root, segments)).then(
    // Whole milliseconds, as webtorrent compares them with the resume data.
    (st) => (st.isFile() ? { mtime: st.mtime.getTime(), size: st.size } : null),
    () => null,
  )
}

export class FileStateRecorder {
  private readonly states: Array<FileStamp | null>
  /**
   * Per file, whether a stat is running and whether a piece was verified since it was issued. One
   * stat per file at a time, plus one more after it when needed: a stat per verified piece cost a
   * tenth of a recheck's CPU (bench/README.md); the last answer is still from after the last piece.
   */
  private readonly statting: Array<'idle' | 'running' | 'again'>
  private readonly inFlight = new Set<Promise<void>>()

  /**
   * `initial`: the states saved with the resume data this attachment started from. Pieces trusted
   * from it were checked against them, so they stand until a piece of the file is verified again.
   */
  constructor(
    private readonly files: readonly LayoutFile[],
    private readonly pieceLength: number,
    private readonly stat: StatFile,
    initial?: RecordedStates | null,
  ) {
    this.states = files.map((_, i) => {
      const mtime = initial?.fileModtimes[i]
      const size = initial?.fileSizes[i]
      return typeof mtime === 'number' && typeof size === 'number' ? { mtime, size } : null
    })
    this.statting = files.map(() => 'idle')
  }

  /** Called once a piece is verified and written: records every file holding part of it. */
  pieceVerified(piece: number): void {
    const start = piece * this.pieceLength
    const end = start + this.pieceLength
    this.files.forEach((file, index) => {
      if (file.length === 0 || file.offset >= end || file.offset + file.length <= start) return
      this.record(index)
    })
  }

  private record(index: number): void {
    if (this.statting[index] !== 'idle') {
      this.statting[index] = 'again'
      return
    }
    this.statting[index] = 'running'
    const done = this.stat(index)
      .then(
        (stamp) => void (this.states[index] = stamp),
        () => void (this.states[index] = null),
      )
      // The pieces verified while it ran get one more stat together, issued at once: a file edited
      // after its last verification must not be recorded as verified. Inside this promise, so
      // snapshot() waits for it too.
      .then(() => {
        const again = this.statting[index] === 'again'
        this.statting[index] = 'idle'
        if (again) this.record(index)
      })
    this.inFlight.add(done)
    void done.finally(() => this.inFlight.delete(done))
  }

  /** The recorded states, once every stat already issued has answered. */
  async snapshot(): Promise<RecordedStates> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
    return {
      fileModtimes: this.states.map((s) => s?.mtime ?? null),
      fileSizes: this.states.map((s) => s?.size ?? null),
    }
  }
}
