/**
 * Where the engine applies the folder policy (folder-policy.ts) to the paths its commands receive: it finds
 * where each path really leads (links resolved, even for folders not created yet) and refuses with a
 * `forbidden` SeedlingError; it also makes sure a download folder is a folder before anything is added.
 */
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SeedlingError } from '@shared/api'
import { isAbsoluteNormalPath } from '@shared/schema'
import type { FolderPolicy, PathPurpose, ProtectedPath } from './folder-policy'
import { protectedPaths, refusal } from './folder-policy'

export interface PathGuardOptions {
  stateDir: string
  /** `seedling serve`'s roots: every path a client names must be inside one. Absent: not confined. */
  allowedRoots?: string[]
  home?: string
  env?: NodeJS.ProcessEnv
}

/** Links followed before giving up, as the kernel does (ELOOP). */
const MAX_LINKS = 40

/**
 * Where `p` leads: its real path, or for a path that does not exist yet, the real path of the part that
 * does with the rest appended; a dangling link is followed to where it points.
 */
export async function realPath(p: string, depth = 0): Promise<string> {
  try {
    return await fs.realpath(p)
  } catch {
    const parent = path.dirname(p)
    if (parent === p || depth > MAX_LINKS) return p
    const realParent = await realPath(parent, depth + 1)
    const link = await fs.readlink(p).catch(() => null)
    if (link !== null) return realPath(path.resolve(realParent, link), depth + 1)
    return path.join(realParent, path.basename(p))
  }
}

function checkAbsolute(p: string): void {
  if (!path.isAbsolute(p) || !isAbsoluteNormalPath(p)) {
    throw new SeedlingError(
      `expected an absolute path without . or .. segments (like /home/you/Downloads), got: ${p}`,
    )
  }
}

export class PathGuard {
  private constructor(private readonly policy: FolderPolicy) {}

  static async create(opts: PathGuardOptions): Promise<PathGuard> {
    const listed = protectedPaths({
      platform: process.platform,
      home: opts.home ?? os.homedir(),
      env: opts.env ?? process.env,
      stateDir: path.resolve(opts.stateDir),
    })
    // Judged both as written and where they lead (/etc is /private/etc on macOS; ~/.config may be a link).
    const real: ProtectedPath[] = await Promise.all(
      listed.map(async (p) => ({ ...p, path: await realPath(p.path) })),
    )
    const roots = opts.allowedRoots
      ? await Promise.all(opts.allowedRoots.map((r) => realPath(path.resolve(r))))
      : null
    return new PathGuard({
      platform: process.platform,
      roots,
      protected: [...listed, ...real.filter((p, i) => p.path !== listed[i]!.path)],
    })
  }

  get confined(): boolean {
    return this.policy.roots !== null
  }

  /** Refuses `target` for `purpose` (a `forbidden` error naming it and why); see folder-policy.ts. */
  async check(purpose: PathPurpose, target: string): Promise<void> {
    checkAbsolute(target)
    const given = purpose === 'output' ? path.dirname(target) : target
    const paths = [...new Set([path.resolve(given), await realPath(given)])]
    const why = refusal(this.policy, purpose, target, paths)
    if (why) throw new SeedlingError(why, 'forbidden')
  }

  /** A download folder that is allowed and, when it exists, a folder rather than a file. */
  async checkDownloadFolder(dir: string): Promise<void> {
    await this.check('download', dir)
    await checkIsFolder(dir)
  }

  /**
   * As checkDownloadFolder, then created when missing. `policy: false` only for the folder of data the
   * engine made a torrent of itself: its source was checked instead, and only its own files are seeded.
   */
  async prepareDownloadFolder(
    dir: string,
    opts: { policy: boolean } = { policy: true },
  ): Promise<void> {
    if (opts.policy) await this.check('download', dir)
    else checkAbsolute(dir)
    await checkIsFolder(dir)
    try {
      await fs.mkdir(dir, { recursive: true })
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      const why =
        code === 'ENOTDIR' || code === 'EEXIST'
          ? 'part of its path is a file'
          : (err as Error).message
      throw new SeedlingError(`cannot create the download folder ${dir}: ${why}`, 'io')
    }
  }
}

/** A folder that exists must be a folder: data "into" a file cannot be written, and fails late and vaguely. */
export async function checkIsFolder(dir: string): Promise<void> {
  const st = await fs.stat(dir).catch(() => null)
  if (st && !st.isDirectory()) {
    throw new SeedlingError(`the download folder ${dir} is a file, not a folder`)
  }
}
