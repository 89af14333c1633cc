/**
 * Path safety: every name from a torrent is made safe for Windows, macOS and Linux before it
 * touches a disk, and every path the engine writes or deletes is checked to stay inside its root.
 */
import path from 'node:path'

/** Filesystems cap a name at 255 bytes (ext4, APFS; NTFS at 255 UTF-16 units, which is looser). */
export const MAX_NAME_BYTES = 255
/** A longer "extension" is not worth keeping whole when a name must be shortened. */
const MAX_KEPT_EXTENSION_BYTES = 32

// Invisible direction overrides can disguise `exe.txt` as `txt.exe`: they are removed outright.
const BIDI_CONTROLS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g
// C0 and C1 controls, both separators, and the characters Windows forbids in a name.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f/\\<>:"|?*]/g
const TRAILING_DOTS_SPACES = /[. ]+$/
// Windows reserves these device names with any extension and in any case (also COM¹²³).
const RESERVED_NAME = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\..*)?$/i

export interface SanitizedName {
  name: string
  /** Why the name was changed; empty when it was already safe. */
  changes: string[]
}

/**
 * Makes one path element safe, replacing rather than rejecting wherever a safe name exists.
 * Returns null only when nothing visible is left (an empty element, or only direction controls):
 * callers decide whether that is an error.
 */
export function sanitizeName(raw: string): SanitizedName | null {
  const changes: string[] = []
  let name = raw.replace(BIDI_CONTROLS, '')
  if (name !== raw) changes.push('removed text-direction control characters')
  if (name === '') return null

  if (name === '.' || name === '..') {
    changes.push(`"${name}" is not a name`)
    return { name: '_', changes }
  }
  const replaced = name.replace(UNSAFE_CHARS, '_')
  if (replaced !== name) {
    changes.push('replaced control characters, path separators or characters Windows forbids')
    name = replaced
  }
  const trimmed = name.replace(TRAILING_DOTS_SPACES, '')
  if (trimmed !== name) {
    changes.push('removed trailing dots or spaces')
    // Only dots and spaces: still give it a name rather than lose the file.
    name = trimmed === '' ? '_' : trimmed
  }
  if (RESERVED_NAME.test(name)) {
    changes.push('Windows reserves that name')
    name = `_${name}`
  }
  const short = truncateName(name, MAX_NAME_BYTES)
  if (short !== name) {
    changes.push(`shortened to ${MAX_NAME_BYTES} bytes`)
    name = short
  }
  return { name, changes }
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8')

/** Shortens to at most `max` UTF-8 bytes without splitting a code point, keeping the extension. */
export function truncateName(name: string, max: number): string {
  if (byteLength(name) <= max) return name
  const dot = name.lastIndexOf('.')
  let ext = dot > 0 ? name.slice(dot) : ''
  if (byteLength(ext) > MAX_KEPT_EXTENSION_BYTES) ext = ''
  const stem = ext ? name.slice(0, dot) : name
  let budget = max - byteLength(ext)
  let kept = ''
  for (const cp of stem) {
    const n = utf8Length(cp.codePointAt(0) as number)
    if (n > budget) break
    kept += cp
    budget -= n
  }
  // Cutting can expose a trailing dot or space, which Windows would silently drop.
  kept = kept.replace(TRAILING_DOTS_SPACES, '')
  return (kept === '' ? '_' : kept) + ext
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4
}

/** A key for spotting two paths that would be the same file on Windows or macOS. */
export function pathCollisionKey(segments: readonly string[]): string {
  return segments.map((s) => s.normalize('NFC').toLowerCase()).join('/')
}

export class UnsafePathError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnsafePathError'
  }
}

/**
 * Joins sanitized segments onto root and asserts the result is strictly inside root (never root
 * itself). The engine calls this before every write or delete, as a last line of defence.
 */
export function resolveInside(
  root: string,
  segments: readonly string[],
  pathImpl: path.PlatformPath = path,
): string {
  if (segments.length === 0) throw new UnsafePathError('refusing an empty path')
  const windows = pathImpl.sep === '\\'
  for (const s of segments) {
    const unsafe =
      s === '' ||
      s === '.' ||
      s === '..' ||
      s.includes('/') ||
      s.includes(pathImpl.sep) ||
      // Windows drops trailing dots and spaces (`...` would name the parent) and reads `:` as a drive.
      (windows && (/[. ]$/.test(s) || s.includes(':')))
    if (unsafe) throw new UnsafePathError(`refusing unsafe path element "${s}"`)
  }
  return assertInside(root, pathImpl.resolve(root, ...segments), pathImpl)
}

/**
 * Asserts that `candidate` is strictly inside `root` (never root itself) and returns it resolved.
 * For paths the engine did not build from segments, e.g. a file found while moving a download.
 */
export function assertInside(
  root: string,
  candidate: string,
  pathImpl: path.PlatformPath = path,
): string {
  const base = pathImpl.resolve(root)
  const full = pathImpl.resolve(base, candidate)
  const rel = pathImpl.relative(base, full)
  if (
    rel === '' ||
    rel === '..' ||
    rel.startsWith(`..${pathImpl.sep}`) ||
    pathImpl.isAbsolute(rel)
  ) {
    throw new UnsafePathError(`refusing a path outside the download folder: ${full}`)
  }
  return full
}
