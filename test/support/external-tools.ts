/**
 * The external programs the interop and e2e suites and the benchmarks drive (real BitTorrent clients,
 * a tracker, mktorrent, Chromium), and what happens where one is missing.
 *
 * A new contributor runs `npm ci && npm test` on a machine with only Node and npm: a suite whose tools
 * are missing is skipped, and the skip is written to SEEDLING_SKIP_LOG so the closing summary names it
 * with the command that installs them. CI sets SEEDLING_REQUIRE_TOOLS=1, which turns a missing tool into
 * a failure, so the real clients are always exercised there.
 */
import { accessSync, appendFileSync, constants } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'

/** Debian package of each tool (a command on PATH, or an absolute path). */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  'qbittorrent-nox': 'qbittorrent-nox',
  aria2c: 'aria2',
  opentracker: 'opentracker',
  mktorrent: 'mktorrent',
  'transmission-daemon': 'transmission-daemon',
  '/usr/bin/chromium': 'chromium',
  python3: 'python3',
}

/** The first executable named `cmd` on PATH (or `cmd` itself when it is an absolute path). */
export function which(cmd: string): string | undefined {
  const candidates = isAbsolute(cmd)
    ? [cmd]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, cmd))
  for (const full of candidates) {
    try {
      accessSync(full, constants.X_OK)
      return full
    } catch {
      // not here
    }
  }
  return undefined
}

export function missingTools(tools: readonly string[]): string[] {
  return tools.filter((t) => !which(t))
}

function packagesOf(tools: readonly string[]): string[] {
  return [...new Set(tools.map((t) => TOOL_PACKAGES[t] ?? t))]
}

/** Throws one clear message naming every missing tool and its apt package (benchmarks, CI). */
export function requireTools(tools: readonly string[]): void {
  const missing = missingTools(tools)
  if (missing.length) {
    const list = missing.map((t) => `${t} (apt package ${TOOL_PACKAGES[t] ?? t})`).join(', ')
    throw new Error(`missing external tools: ${list}`)
  }
}

/** One line of SEEDLING_SKIP_LOG, read by scripts/test-summary.mjs. */
export interface SkipRecord {
  suite: string
  /** What the suite needs that this machine lacks. */
  needs: string[]
  /** Debian packages that provide it, or else the command that does. */
  apt?: string[]
  command?: string
}

/** Records why a suite is skipped, for the closing summary of `npm test`. */
export function recordSkip(record: SkipRecord): void {
  const log = process.env.SEEDLING_SKIP_LOG
  if (log) appendFileSync(log, `${JSON.stringify(record)}\n`)
  const fix = record.apt ? `apt-get install ${record.apt.join(' ')}` : record.command
  console.warn(`[${record.suite}] skipped: needs ${record.needs.join(', ')} (${fix})`)
}

/**
 * True when `suite` must be skipped because a tool is missing (and records why); throws instead when
 * SEEDLING_REQUIRE_TOOLS=1. Call at module level and pass the result to `describe.skipIf`.
 */
export function skipWithoutTools(suite: string, tools: readonly string[]): boolean {
  const missing = missingTools(tools)
  if (missing.length === 0) return false
  if (process.env.SEEDLING_REQUIRE_TOOLS === '1') requireTools(tools)
  recordSkip({ suite, needs: missing, apt: packagesOf(missing) })
  return true
}
