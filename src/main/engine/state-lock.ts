/**
 * One engine per state folder. Two engines on one folder each save their own torrent list over the other's,
 * so the second to open would silently lose the first's torrents. The first takes `seedling.lock` (created
 * exclusively, holding its pid); a later one fails at once, unless the pid in the lock is no longer running
 * (a crash, a kill -9), in which case the lock is stale and taken over.
 */
import { randomUUID } from 'node:crypto'
import { promises as fs, readFileSync, unlinkSync } from 'node:fs'
import path from 'node:path'
import { SeedlingError } from '@shared/api'

export const LOCK_FILE = 'seedling.lock'

export interface StateLock {
  readonly file: string
  /** Removes the lock if it is still this one; safe to call more than once. */
  release(): Promise<void>
}

export interface LockOptions {
  pid?: number
  /** Whether a process is running; process.kill(pid, 0) unless a test says otherwise. */
  isAlive?: (pid: number) => boolean
}

/**
 * Lock files this process holds, with their content. Its own pid in a lock it does not hold is from an
 * earlier process that had the same pid (a container restarted), so that lock is stale.
 */
const heldHere = new Map<string, string>()
/** Contents of locks this process is writing right now (held a moment later). */
const writing = new Set<string>()

export class StateLockedError extends SeedlingError {
  constructor(
    readonly stateDir: string,
    readonly pid: number,
  ) {
    super(`Seedling is already running with this state folder (pid ${pid}): ${stateDir}`, 'locked')
    this.name = 'StateLockedError'
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to another user, which still makes the lock live.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The pid a lock file names, or null when it names none (empty, half-written, garbage). */
export function lockPid(text: string): number | null {
  const first = text.split('\n', 1)[0]?.trim() ?? ''
  if (!/^\d{1,10}$/.test(first)) return null
  const pid = Number(first)
  return pid > 0 && pid <= 0x7fffffff ? pid : null
}

async function readLock(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

const MAX_ATTEMPTS = 5
/** A lock file is written right after it is created; one seen empty is given this long to fill in. */
const HALF_WRITTEN_GRACE_MS = 200

export async function acquireStateLock(
  stateDir: string,
  opts: LockOptions = {},
): Promise<StateLock> {
  const pid = opts.pid ?? process.pid
  const isAlive = opts.isAlive ?? isProcessAlive
  const file = path.resolve(stateDir, LOCK_FILE)
  // The nonce makes this lock's content unique, so release and takeover never mistake another's for it.
  const content = `${pid}\n${new Date().toISOString()} ${randomUUID()}\n`
  await fs.mkdir(stateDir, { recursive: true })
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    writing.add(content)
    try {
      await fs.writeFile(file, content, { flag: 'wx', mode: 0o644 })
      return holdLock(file, content)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    } finally {
      writing.delete(content)
    }
    let seen = await readLock(file)
    if (seen === null) continue
    if (lockPid(seen) === null) {
      await new Promise((r) => setTimeout(r, HALF_WRITTEN_GRACE_MS))
      seen = await readLock(file)
      if (seen === null) continue
    }
    const owner = lockPid(seen)
    // By content, not path: the same folder may be reached through a link.
    const ownNow = writing.has(seen) || [...heldHere.values()].includes(seen)
    const earlierLife = owner === pid && !ownNow
    if (owner !== null && !earlierLife && isAlive(owner))
      throw new StateLockedError(stateDir, owner)
    await removeStale(file, seen)
  }
  throw new SeedlingError(`could not take the lock on the state folder ${stateDir}`, 'locked')
}

/**
 * Moves the stale lock aside before deleting it, and only deletes what it judged: if another process took
 * the lock over in between, the file moved aside is that live lock and goes back.
 */
async function removeStale(file: string, seen: string): Promise<void> {
  const aside = `${file}.stale-${randomUUID()}`
  try {
    await fs.rename(file, aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  const moved = await readLock(aside)
  if (moved !== seen) await fs.link(aside, file).catch(() => undefined)
  await fs.rm(aside, { force: true })
}

function holdLock(file: string, content: string): StateLock {
  if (heldHere.size === 0) process.once('exit', releaseAllSync)
  heldHere.set(file, content)
  return {
    file,
    async release() {
      if (heldHere.get(file) !== content) return
      heldHere.delete(file)
      if (heldHere.size === 0) process.off('exit', releaseAllSync)
      if ((await readLock(file).catch(() => null)) === content) await fs.rm(file, { force: true })
    },
  }
}

/** A process that exits without closing its engines (process.exit, an uncaught error) still frees them. */
function releaseAllSync(): void {
  for (const [file, content] of heldHere) {
    try {
      if (readFileSync(file, 'utf8') === content) unlinkSync(file)
    } catch {
      // Already gone, or its folder is: nothing left to release.
    }
  }
  heldHere.clear()
}
