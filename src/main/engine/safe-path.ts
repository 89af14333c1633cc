/**
 * Path safety: every name from a torrent is made safe for the filesystem of the platform it will
 * be written on, and every path the engine writes or deletes is checked to stay inside its root.
 *
 * Like libtorrent, a name is changed only where the host forbids it: on Linux and macOS
 * "Movie: Subtitle?" or "AUX" are ordinary names, and renaming them would keep Seedling from
 * seeding data another client downloaded under the torrent's real name. Windows rules (its
 * forbidden characters, trailing dots and spaces, reserved device names) apply only on win32.
 */
import path from 'node:path'

/** Filesystems cap a name at 255 bytes (ext4, APFS; NTFS at 255 UTF-16 units, which is looser). */
export const MAX_NAME_BYTES = 255
/** A longer "extension" is not worth keeping whole when a name must be shortened. */
const MAX_KEPT_EXTENSION_BYTES = 32

// Invisible direction overrides can disguise `exe.txt` as `txt.exe`: they are removed outright.
const BIDI_CONTROLS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g
// Replaced on every platform: C0 and C1 controls (NUL included) and both separators. A backslash
// is legal in a POSIX name, but it is a separator on Windows: a file named `a\b` here could not be
// moved or copied there intact, and other tools split it, so it is never kept.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f/\\]/g
// Replaced on Windows only: the printable characters it forbids in a name.
const WINDOWS_FORBIDDEN_CHARS = /[<>:"|?*]/g
// Windows silently drops trailing dots and spaces, so `x.` and `x` would be the same file.
const TRAILING_DOTS_SPACES = /[. ]+$/
// Windows reserves these device names with any extension and in any case (also COM¹²³).
const RESERVED_NAME = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\..*)?$/i

const isWindows = (platform: NodeJS.Platform): boolean => platform === 'win32'

export interface SanitizedName {
  name: string
  /** Why the name was changed; empty when it was already safe. */
  changes: string[]
}

/**
 * Makes one path element safe on `platform` (the host by default), replacing rather than rejecting
 * wherever a safe name exists. Everywhere: text-direction controls are removed, control characters
 * and `/` `\` are replaced, `.` and `..` become `_`, and the name is capped at 255 UTF-8 bytes. On
 * win32 only: `<>:"|?*` are replaced, trailing dots and spaces removed and reserved device names
 * (CON, NUL, COM1…) prefixed with `_`.
 * Returns null only when nothing visible is left (an empty element, or only direction controls):
 * callers decide whether that is an error.
 */
export function sanitizeName(
  raw: string,
  platform: NodeJS.Platform = process.platform,
): SanitizedName | null {
  const windows = isWindows(platform)
  const changes: string[] = []
  let name = raw.replace(BIDI_CONTROLS, '')
  if (name !== raw) changes.push('removed text-direction control characters')
  if (name === '') return null

  if (name === '.' || name === '..') {
    changes.push(`"${name}" is not a name`)
    return { name: '_', changes }
  }
  let replaced = name.replace(UNSAFE_CHARS, '_')
  if (windows) replaced = replaced.replace(WINDOWS_FORBIDDEN_CHARS, '_')
  if (replaced !== name) {
    changes.push(
      windows
        ? 'replaced control characters, path separators or characters Windows forbids'
        : 'replaced control characters or path separators',
    )
    name = replaced
  }
  if (windows) {
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
  }
  const short = truncateName(name, MAX_NAME_BYTES, platform)
  if (short !== name) {
    changes.push(`shortened to ${MAX_NAME_BYTES} bytes`)
    name = short
  }
  return { name, changes }
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8')

/**
 * Shortens to at most `max` UTF-8 bytes without splitting a code point, keeping the extension.
 * On win32 a trailing dot or space exposed by the cut is removed too.
 */
export function truncateName(
  name: string,
  max: number,
  platform: NodeJS.Platform = process.platform,
): string {
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
  if (isWindows(platform)) kept = kept.replace(TRAILING_DOTS_SPACES, '')
  const short = (kept === '' ? '_' : kept) + ext
  // Only reachable with a tiny `max`, but a cut must never leave a name that means a folder.
  return short === '.' || short === '..' ? '_' : short
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4
}

/**
 * A key for spotting two paths that would be the same file on Windows or macOS, whose filesystems
 * ignore case (and, on macOS, Unicode normalization). Used on every platform, so a torrent that
 * only works on a case-sensitive filesystem is refused everywhere rather than on some machines.
 */
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
