import { promises as fs } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'

/**
 * Replaces `file` so that a crash at any moment leaves either the old or the new content, never a mix:
 * write a temp file beside it, fsync it, keep the current version as `.bak`, rename, fsync the folder.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  opts: { keepBackup?: boolean } = {},
): Promise<void> {
  const dir = path.dirname(file)
  await fs.mkdir(dir, { recursive: true })
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await fs.open(tmp, 'w', 0o600)
  try {
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    if (opts.keepBackup) {
      // A hard link keeps the previous version without a window where `file` is missing; made under a
      // name of its own and renamed over `.bak`, so there is no window where `.bak` is missing either
      // (removing `.bak` first let a concurrent writer's removal come last and leave none).
      const bakTmp = `${tmp}.bak`
      try {
        await fs.link(file, bakTmp)
        await fs.rename(bakTmp, `${file}.bak`)
      } catch (err) {
        // ENOENT: the first write, nothing to keep.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      } finally {
        // A rename between two links to the same file does nothing and leaves the source.
        await fs.rm(bakTmp, { force: true })
      }
    }
    await fs.rename(tmp, file)
  } catch (err) {
    await fs.rm(tmp, { force: true })
    throw err
  }
  await syncDir(dir)
}

async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined
  try {
    handle = await fs.open(dir, 'r')
    await handle.sync()
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
  } finally {
    await handle?.close()
  }
}
