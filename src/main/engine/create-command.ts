/** The createTorrent command: hash a file or folder into a .torrent, optionally seeding it at once. */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type {
  AddTorrentRequest,
  AddTorrentResult,
  CreateTorrentRequest,
  CreateTorrentResult,
  SeedlingEvents,
  TorrentSummary,
} from '@shared/api'
import { SeedlingError } from '@shared/api'
import { CreateTorrentRequestSchema } from '@shared/schema'
import { writeFileAtomic } from './atomic-file'
import { withInputErrors } from './commands'
import { createTorrentFile } from './create'
import type { PathGuard } from './path-guard'
import type { SessionStore } from './session'
import type { Emit } from './typed-emitter'

export interface CreateDeps {
  guard: PathGuard
  store: SessionStore
  emit: Emit<SeedlingEvents>
  /** Adds the new torrent to seed, its source already checked by the folder policy. */
  addUnchecked(req: AddTorrentRequest): Promise<AddTorrentResult>
}

/**
 * A client (possibly remote) names where the .torrent goes: only a new `.torrent` file at an absolute
 * path, so the API can never overwrite an existing file or write something that is not a torrent.
 */
async function checkNewTorrentPath(file: string): Promise<void> {
  if (!path.isAbsolute(file)) throw new SeedlingError(`the output path must be absolute: ${file}`)
  if (!file.toLowerCase().endsWith('.torrent')) {
    throw new SeedlingError(`the output file must end in .torrent: ${file}`)
  }
  const exists = await fs.lstat(file).then(
    () => true,
    () => false,
  )
  if (exists) throw new SeedlingError(`${file} already exists; choose another name`, 'duplicate')
}

export async function createTorrent(
  req: CreateTorrentRequest,
  deps: CreateDeps,
): Promise<CreateTorrentResult> {
  const opts = CreateTorrentRequestSchema.parse(req)
  await deps.guard.check('source', opts.path)
  // Checked before hashing, so a bad output path fails fast.
  if (opts.outputPath) {
    await deps.guard.check('output', opts.outputPath)
    await checkNewTorrentPath(opts.outputPath)
  }
  const created = await withInputErrors(() =>
    createTorrentFile({
      path: opts.path,
      trackers: opts.trackers,
      webSeeds: opts.webSeeds,
      pieceLength: opts.pieceLength,
      private: opts.private,
      comment: opts.comment,
      onProgress: (hashedBytes, totalBytes) =>
        deps.emit('create:progress', { requestId: opts.requestId, hashedBytes, totalBytes }),
    }),
  )
  const meta = created.decoded.meta
  const torrentPath = opts.outputPath ?? deps.store.torrentFilePath(meta.infoHash)
  if (opts.outputPath) await checkNewTorrentPath(opts.outputPath)
  await writeFileAtomic(torrentPath, created.torrent)
  let torrent: TorrentSummary | null = null
  if (opts.seed) {
    const added = await deps.addUnchecked({
      source: { kind: 'file', data: Buffer.from(created.torrent).toString('base64') },
      downloadDir: path.dirname(path.resolve(opts.path)),
    })
    torrent = added.torrent
  }
  return {
    meta,
    torrentPath,
    torrentFile: Buffer.from(created.torrent).toString('base64'),
    torrent,
  }
}
