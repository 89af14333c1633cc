/**
 * Opens and deletes a torrent's files without ever following a symbolic link (or Windows junction)
 * below its download folder. String checks (safe-path.ts) keep a path's spelling inside the folder;
 * these keep its real location there: every folder on the way is checked with lstat, the file itself
 * is opened with O_NOFOLLOW where the platform has it, and the opened file's real path is checked
 * again afterwards, so a link swapped in between the checks and the open is caught too.
 *
 * The download folder itself may be a link (a user's Downloads on another disk is ordinary): only
 * what is below it is checked.
 */
import type { Stats } from 'node:fs'
import { constants, lstatSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { resolveInside, UnsafePathError } from './safe-path'

// Absent on Windows, where the lstat check before opening is what catches a link.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0
// A FIFO planted where a torrent file goes would otherwise block the open forever.
const O_NONBLOCK = constants.O_NONBLOCK ?? 0

export type OpenMode = 'read' | 'write'

export class LinkInTheWayError extends UnsafePathError {
  constructor(readonly linkPath: string) {
    super(`refusing to follow a symbolic link or junction in the download folder: ${linkPath}`)
    this.name = 'LinkInTheWayError'
  }
}

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT'

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await fs.lstat(p)
  } catch (err) {
    if (isMissing(err)) return null
    throw err
  }
}

function notAFolder(p: string): UnsafePathError {
  return new UnsafePathError(`refusing a path through something that is not a folder: ${p}`)
}

/**
 * Checks (and with `create`, makes) every folder between root and the file, one level at a time.
 * Returns false when a folder is missing and `create` is off.
 */
async function walkParents(
  root: string,
  segments: readonly string[],
  create: boolean,
): Promise<boolean> {
  let dir = root
  for (const segment of segments.slice(0, -1)) {
    dir = path.join(dir, segment)
    let st = await lstatOrNull(dir)
    if (!st && create) {
      await fs.mkdir(dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err
      })
      st = await fs.lstat(dir)
    }
    if (!st) return false
    if (st.isSymbolicLink()) throw new LinkInTheWayError(dir)
    if (!st.isDirectory()) throw notAFolder(dir)
  }
  return true
}

/**
 * Opens a torrent file at `segments` below `root`: read-only for 'read', read-write and created if
 * missing for 'write' (its folders too). Throws LinkInTheWayError when a link is anywhere below root,
 * an UnsafePathError for anything else that is not a plain folder or regular file, and ENOENT when
 * reading a file that does not exist.
 */
export async function openInside(
  root: string,
  segments: readonly string[],
  mode: OpenMode,
): Promise<fs.FileHandle> {
  const full = resolveInside(root, segments)
  const realRoot = await fs.realpath(root)
  if (!(await walkParents(root, segments, mode === 'write'))) {
    throw Object.assign(new Error(`no such file: ${full}`), { code: 'ENOENT' })
  }
  const before = await lstatOrNull(full)
  if (before?.isSymbolicLink()) throw new LinkInTheWayError(full)
  const access = mode === 'write' ? constants.O_RDWR | constants.O_CREAT : constants.O_RDONLY
  let handle: fs.FileHandle
  try {
    handle = await fs.open(full, access | O_NOFOLLOW | O_NONBLOCK, 0o666)
  } catch (err) {
    // O_NOFOLLOW on a link fails with ELOOP (Linux, macOS) or EMLINK (FreeBSD).
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ELOOP' || code === 'EMLINK') throw new LinkInTheWayError(full)
    throw err
  }
  try {
    const st = await handle.stat()
    if (!st.isFile()) throw new UnsafePathError(`refusing something that is not a file: ${full}`)
    // A folder swapped for a link after the walk: the real path then differs from the expected one.
    const real = await fs.realpath(full)
    if (real !== path.join(realRoot, ...segments)) throw new LinkInTheWayError(full)
    const now = await fs.lstat(full)
    if (now.ino !== st.ino || now.dev !== st.dev) throw new LinkInTheWayError(full)
    return handle
  } catch (err) {
    await handle.close().catch(() => undefined)
    throw err
  }
}

/**
 * The first problem with a torrent's files as they are on disk now: a link at or above a file (below
 * root), a file path that is a folder, or a folder path that is a file. Null when there is none.
 * Synchronous, because webtorrent builds its chunk store synchronously; run once per attach.
 */
export function findUnsafeEntrySync(
  root: string,
  files: ReadonlyArray<readonly string[]>,
): UnsafePathError | null {
  const seen = new Set<string>()
  for (const segments of files) {
    let p = root
    for (let i = 0; i < segments.length; i++) {
      p = path.join(p, segments[i]!)
      const last = i === segments.length - 1
      if (seen.has(p)) continue
      seen.add(p)
      let st: Stats
      try {
        st = lstatSync(p)
      } catch (err) {
        if (isMissing(err)) break
        throw err
      }
      if (st.isSymbolicLink()) return new LinkInTheWayError(p)
      if (last && st.isDirectory()) {
        return new UnsafePathError(`a folder is where the torrent's file goes: ${p}`)
      }
      if (!last && !st.isDirectory()) return notAFolder(p)
    }
  }
  return null
}

export type RemoveOutcome = 'removed' | 'missing' | 'link-removed' | 'kept-folder' | 'link-above'

/**
 * Deletes one torrent file below root without deleting through a link: a link where the file should
 * be is unlinked itself (never its target), a folder there is kept, and nothing is touched when a
 * link is in a folder above it.
 */
export async function removeInside(
  root: string,
  segments: readonly string[],
): Promise<RemoveOutcome> {
  const full = resolveInside(root, segments)
  let parentsOk: boolean
  try {
    parentsOk = await walkParents(root, segments, false)
  } catch (err) {
    if (err instanceof LinkInTheWayError) return 'link-above'
    throw err
  }
  if (!parentsOk) return 'missing'
  const st = await lstatOrNull(full)
  if (!st) return 'missing'
  if (st.isDirectory()) return 'kept-folder'
  await fs.unlink(full).catch((err: unknown) => {
    if (!isMissing(err)) throw err
  })
  return st.isSymbolicLink() ? 'link-removed' : 'removed'
}

/** Removes the folder at `segments` below root if it is a real, empty folder; never through a link. */
export async function removeEmptyFolderInside(
  root: string,
  segments: readonly string[],
): Promise<void> {
  const full = resolveInside(root, segments)
  try {
    if (!(await walkParents(root, [...segments, '_'], false))) return
  } catch {
    return
  }
  await fs.rmdir(full).catch(() => undefined)
}
