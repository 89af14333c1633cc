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
  /** Per file, the stat issued last: only its answer counts, whatever order answers arrive in. */
  private readonly latest: number[]
  private issued = 0
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
    this.latest = files.map(() => 0)
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
    const ticket = ++this.issued
    this.latest[index] = ticket
    const done = this.stat(index).then(
      (stamp) => {
        if (this.latest[index] === ticket) this.states[index] = stamp
      },
      () => {
        if (this.latest[index] === ticket) this.states[index] = null
      },
    )
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
