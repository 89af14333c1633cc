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
      // A hard link keeps the previous version without a window where `file` is missing.
      await fs.rm(`${file}.bak`, { force: true })
      await fs.link(file, `${file}.bak`).catch((err: NodeJS.ErrnoException) => {
        // ENOENT: first write, nothing to keep. EEXIST: a concurrent writer just kept a complete version.
        if (err.code !== 'ENOENT' && err.code !== 'EEXIST') throw err
      })
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
