// One process's resources read from /proc (Linux), the same way for every client, so that long-running
// daemons (transmission-daemon, qbittorrent-nox, the Seedling engine driver) can be measured over a
// phase of their life rather than from spawn to exit as GNU time does.
import { readdir, readFile } from 'node:fs/promises'

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const USER_HZ = 100

export interface ProcSample {
  /** Resident set size now, MiB. */
  rssMiB: number
  /** Peak resident set size since the process started (VmHWM), MiB. */
  peakRssMiB: number
  /** user + system CPU seconds since the process started. */
  cpuS: number
  /** Open file descriptors (entries of /proc/<pid>/fd). */
  fds: number
}

function statusKiB(status: string, key: string): number {
  const m = status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))
  return m ? Number(m[1]) : 0
}

export async function sampleProc(pid: number): Promise<ProcSample> {
  const [status, stat, fds] = await Promise.all([
    readFile(`/proc/${pid}/status`, 'utf8'),
    readFile(`/proc/${pid}/stat`, 'utf8'),
    readdir(`/proc/${pid}/fd`),
  ])
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return {
    rssMiB: Math.round((statusKiB(status, 'VmRSS') / 1024) * 10) / 10,
    peakRssMiB: Math.round((statusKiB(status, 'VmHWM') / 1024) * 10) / 10,
    cpuS: Math.round((ticks / USER_HZ) * 100) / 100,
    fds: fds.length,
  }
}
