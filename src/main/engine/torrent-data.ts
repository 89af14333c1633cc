/**
 * Deleting and moving a torrent's data on disk. Neither follows a symbolic link or junction below a
 * download folder (see safe-open.ts), deleting never removes a folder that still holds anything, and
 * moving never replaces a file: a target that exists is refused before anything moves, and a move
 * that fails halfway is undone.
 */
import { constants, promises as fs } from 'node:fs'
import path from 'node:path'
import { SeedlingError } from '@shared/api'
import type { DecodedTorrent } from './metainfo'
import { findUnsafeEntrySync, removeEmptyFolderInside, removeInside } from './safe-open'
import { resolveInside } from './safe-path'

type Files = DecodedTorrent['files']

/** Every folder the torrent's files sit in (below root), deepest first. */
function foldersOf(files: Files): string[][] {
  const byKey = new Map<string, string[]>()
  for (const file of files) {
    for (let i = file.segments.length - 1; i > 0; i--) {
      const folder = file.segments.slice(0, i)
      byKey.set(folder.join('/'), folder)
    }
  }
  return [...byKey.values()].sort((a, b) => b.length - a.length)
}

async function removeEmptyFolders(root: string, files: Files): Promise<void> {
  for (const folder of foldersOf(files)) await removeEmptyFolderInside(root, folder)
}

/** Deletes exactly this torrent's files, then the folders they leave empty, never the download folder. */
export async function deleteTorrentData(
  downloadDir: string,
  decoded: DecodedTorrent,
): Promise<void> {
  const files = onDisk(decoded)
  for (const file of files) await removeInside(downloadDir, file.segments)
  // Files the user added beside the torrent's own keep their folders.
  await removeEmptyFolders(downloadDir, files)
}

/** BEP 47 padding files are never written, so a file at such a path is not the torrent's. */
function onDisk(decoded: DecodedTorrent): Files {
  return decoded.files.filter((f) => !f.pad)
}

const exists = (p: string): Promise<boolean> =>
  fs.lstat(p).then(
    () => true,
    () => false,
  )

/** The first of the torrent's top-level files or folders already present in `to`, if any. */
async function firstConflict(to: string, files: Files): Promise<string | null> {
  const tops = new Set(files.map((f) => f.segments[0]!))
  for (const top of tops) {
    const target = resolveInside(to, [top])
    if (await exists(target)) return target
  }
  return null
}

// Hard links cannot cross filesystems, and some filesystems (FAT, some network shares) lack them.
const NO_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'])

/** Moves one file, failing rather than replacing an existing `dst`. */
async function moveFileNoReplace(src: string, dst: string): Promise<void> {
  try {
    await fs.link(src, dst)
  } catch (err) {
    if (!NO_LINK.has((err as NodeJS.ErrnoException).code ?? '')) throw err
    const st = await fs.stat(src)
    await fs.copyFile(src, dst, constants.COPYFILE_EXCL)
    try {
      await fs.utimes(dst, st.atime, st.mtime)
    } catch (utimesErr) {
      await fs.rm(dst, { force: true })
      throw utimesErr
    }
  }
  await fs.unlink(src)
}

/**
 * Moves the torrent's files from one download folder to another. Refused with a 'duplicate'
 * SeedlingError naming the first conflict when any of its top-level files or folders exists in `to`,
 * and with an UnsafePathError when a link is in the way in `from`; nothing moves then. When a file
 * fails to move, the files already moved are moved back before the error is thrown.
 */
export async function moveTorrentData(
  from: string,
  to: string,
  decoded: DecodedTorrent,
): Promise<void> {
  const files = onDisk(decoded)
  const conflict = await firstConflict(to, files)
  if (conflict) {
    throw new SeedlingError(`${conflict} already exists; nothing was moved`, 'duplicate')
  }
  const unsafe = findUnsafeEntrySync(
    from,
    files.map((f) => f.segments),
  )
  if (unsafe) throw unsafe
  await fs.mkdir(to, { recursive: true })
  const moved: Array<{ src: string; dst: string }> = []
  try {
    for (const file of files) {
      const src = resolveInside(from, file.segments)
      const dst = resolveInside(to, file.segments)
      if (!(await exists(src))) continue
      await fs.mkdir(path.dirname(dst), { recursive: true })
      await moveFileNoReplace(src, dst)
      moved.push({ src, dst })
    }
  } catch (err) {
    await rollBack(moved, to, files)
    throw err
  }
  await removeEmptyFolders(from, files)
}

async function rollBack(
  moved: Array<{ src: string; dst: string }>,
  to: string,
  files: Files,
): Promise<void> {
  for (const { src, dst } of moved.reverse()) {
    await moveFileNoReplace(dst, src).catch(() => undefined)
  }
  await removeEmptyFolders(to, files)
}
