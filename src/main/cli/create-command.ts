/**
 * `seedling create <path> -o out.torrent`: hashes a file or folder and writes the .torrent
 * atomically. No console and no process.exit here: the CLI prints what this returns.
 */
import { randomBytes } from 'node:crypto'
import { link, open, rename, stat, unlink } from 'node:fs/promises'
import path from 'node:path'
import { formatBytesExact } from '@shared/format'
import { createTorrentFile } from '../engine/create'
import { MetaInfoError } from '../engine/metainfo'

export interface CreateOptions {
  output: string
  trackers: string[]
  pieceLength?: number
  private: boolean
  comment?: string
  webSeeds: string[]
  /** Replace an existing output file. */
  force?: boolean
  createdBy?: string
  onProgress?: (hashedBytes: number, totalBytes: number) => void
}

export async function runCreate(source: string, opts: CreateOptions): Promise<string> {
  const output = path.resolve(opts.output)
  // Fail before hashing for minutes, not after.
  if (!opts.force && (await exists(output))) {
    throw new MetaInfoError(`${opts.output} already exists (use --force to replace it)`)
  }
  const { torrent, decoded } = await createTorrentFile({
    path: source,
    trackers: opts.trackers,
    pieceLength: opts.pieceLength,
    private: opts.private,
    comment: opts.comment,
    webSeeds: opts.webSeeds,
    createdBy: opts.createdBy,
    onProgress: opts.onProgress,
  })
  await writeAtomically(output, torrent, opts.force ?? false)
  const { meta } = decoded
  return [
    `Created ${opts.output}`,
    `Name:      ${meta.name}`,
    `Size:      ${formatBytesExact(meta.length)} in ${meta.files.length} ${meta.files.length === 1 ? 'file' : 'files'}`,
    `Pieces:    ${meta.pieceCount} × ${formatBytesExact(meta.pieceLength)}`,
    `Info hash: ${meta.infoHash}`,
    `Magnet:    ${meta.magnetURI}`,
  ].join('\n')
}

/**
 * Writes to a temp file beside the target, syncs it, then moves it into place: a crash never
 * leaves a half-written .torrent. Without `force`, a hard link claims the name, which fails if the
 * file appeared meanwhile; filesystems without hard links fall back to check-then-rename.
 */
async function writeAtomically(target: string, data: Uint8Array, force: boolean): Promise<void> {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  )
  const handle = await open(temp, 'wx').catch((err: NodeJS.ErrnoException) => {
    throw new MetaInfoError(`cannot write ${target}: ${err.code ?? err.message}`)
  })
  try {
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    if (force) await rename(temp, target)
    else await claim(temp, target)
  } finally {
    await unlink(temp).catch(() => undefined)
  }
}

async function claim(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST')
      throw new MetaInfoError(`${target} already exists (use --force to replace it)`)
    if (await exists(target))
      throw new MetaInfoError(`${target} already exists (use --force to replace it)`)
    await rename(temp, target)
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  )
}
