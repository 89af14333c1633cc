// Resource measurement for one child process tree.
//
// Method: the command runs under GNU time (`/usr/bin/time -f '%e %U %S %M' -o FILE`, Debian package
// `time`). It reports, for the process it started and every descendant that was waited for (tsx →
// node, for example): wall seconds, user and system CPU seconds (summed over the tree), and the
// peak resident set size in KiB (%M: the largest peak RSS of any single process in the tree, as
// Linux merges ru_maxrss with a max, not a sum). Without /usr/bin/time, CPU and RSS are reported as
// not available and only wall time (measured here) is given.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'

export const GNU_TIME = '/usr/bin/time'

export function gnuTimeAvailable(): boolean {
  return existsSync(GNU_TIME)
}

export interface Usage {
  /** Wall time measured by the bench (spawn → exit), ms. */
  wallMs: number
  /** user + sys CPU seconds of the whole process tree, or null when not measurable. */
  cpuS: number | null
  userS: number | null
  sysS: number | null
  /** Peak RSS in MiB (largest single process of the tree), or null. */
  peakRssMiB: number | null
}

/** The wrapper to put in front of a command so that its usage lands in `outFile`. */
export function timeWrapper(outFile: string): string[] | undefined {
  return gnuTimeAvailable() ? [GNU_TIME, '-f', '%e %U %S %M', '-o', outFile] : undefined
}

/** Reads what GNU time wrote (its last line; a "Command exited with non-zero status" may precede). */
export async function readTimeFile(outFile: string, wallMs: number): Promise<Usage> {
  const none: Usage = { wallMs, cpuS: null, userS: null, sysS: null, peakRssMiB: null }
  if (!gnuTimeAvailable()) return none
  let text: string
  try {
    text = await readFile(outFile, 'utf8')
  } catch {
    return none
  }
  const last = text.trim().split('\n').pop() ?? ''
  const m = last.match(/^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/)
  if (!m) return none
  const userS = Number(m[2])
  const sysS = Number(m[3])
  return {
    wallMs,
    userS,
    sysS,
    cpuS: round(userS + sysS, 2),
    peakRssMiB: round(Number(m[4]) / 1024, 1),
  }
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/** The median of each field over runs (null if any run lacks it). */
export function medianUsage(runs: Usage[]): Usage {
  const pick = (f: (u: Usage) => number | null): number | null => {
    const v = runs.map(f)
    return v.some((x) => x === null) ? null : median(v as number[])
  }
  return {
    wallMs: median(runs.map((r) => r.wallMs)),
    cpuS: pick((u) => u.cpuS),
    userS: pick((u) => u.userS),
    sysS: pick((u) => u.sysS),
    peakRssMiB: pick((u) => u.peakRssMiB),
  }
}
