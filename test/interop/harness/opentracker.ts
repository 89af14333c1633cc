// opentracker on 127.0.0.1, HTTP only.
//
// Debian's opentracker (bookworm) is built with WANT_ACCESSLIST_WHITE: it is a *closed* tracker
// that answers "Requested download is not authorized for use with this tracker." for any info hash
// not in its whitelist file (and with no -w file at all it refuses every hash). So we write a
// whitelist (one 40-hex info hash per line) before starting it, and `allow()` can add hashes later
// (append + SIGHUP, which makes opentracker reload the list).
//
// Other findings:
// - `-d DIR` makes it chroot to DIR and `-u USER` drop to USER (default "nobody") when run as root;
//   the -w path is opened *inside* the chroot, so it must be relative to DIR (an absolute host path
//   is silently "not found"). DIR and the list must be readable by that user (we chmod 755/644).
// - `-i 127.0.0.1 -p PORT` binds TCP only; when no -p/-P is given it binds *:6969 TCP+UDP, so we
//   always pass -p and never -P (no UDP tracker).
import { appendFile, chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeTempDir, removeDir } from './files'
import { getFreePort } from './ports'
import { sleep, spawnTracked, waitUntil } from './proc'
import type { TrackedProcess } from './proc'

export interface OpenTracker {
  port: number
  announceUrl: string
  proc: TrackedProcess
  /** Whitelist more info hashes (hex); takes effect after opentracker reloads the list. */
  allow(infoHashes: string[]): Promise<void>
  /** Scrape one info hash: seeders (complete) and leechers (incomplete), or undefined if unknown. */
  scrape(infoHash: string): Promise<{ complete: number; incomplete: number } | undefined>
  /** Waits until the tracker reports at least `seeders` seeders for the hash. */
  waitForSeeders(infoHash: string, seeders: number, timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

const WHITELIST = 'whitelist.txt'

export function hexToUrlEncoded(hex: string): string {
  return hex.replace(/../g, (b) => '%' + b)
}

export async function startOpentracker(opts: { whitelist?: string[] } = {}): Promise<OpenTracker> {
  const dir = await makeTempDir('opentracker')
  await chmod(dir, 0o755)
  const list = join(dir, WHITELIST)
  await writeFile(list, (opts.whitelist ?? []).map((h) => h.toLowerCase() + '\n').join(''))
  await chmod(list, 0o644)
  const port = await getFreePort()
  const proc = spawnTracked(
    'opentracker',
    'opentracker',
    ['-i', '127.0.0.1', '-p', String(port), '-d', dir, '-w', WHITELIST],
    { cwd: dir },
  )
  const base = `http://127.0.0.1:${port}`
  const scrape = async (
    infoHash: string,
  ): Promise<{ complete: number; incomplete: number } | undefined> => {
    const res = await fetch(`${base}/scrape?info_hash=${hexToUrlEncoded(infoHash)}`, {
      signal: AbortSignal.timeout(3_000),
    })
    const body = Buffer.from(await res.arrayBuffer()).toString('latin1')
    const complete = body.match(/8:completei(\d+)e/)
    const incomplete = body.match(/10:incompletei(\d+)e/)
    if (!complete || !incomplete) return undefined
    return { complete: Number(complete[1]), incomplete: Number(incomplete[1]) }
  }
  const tracker: OpenTracker = {
    port,
    announceUrl: `${base}/announce`,
    proc,
    async allow(infoHashes) {
      await appendFile(list, infoHashes.map((h) => h.toLowerCase() + '\n').join(''))
      proc.signal('SIGHUP')
      // The list is reloaded by a background thread; give it a moment.
      await sleep(300)
    },
    scrape,
    async waitForSeeders(infoHash, seeders, timeoutMs = 60_000) {
      await waitUntil(async () => ((await scrape(infoHash))?.complete ?? 0) >= seeders, {
        timeoutMs,
        intervalMs: 300,
        what: `${seeders} seeder(s) of ${infoHash} on opentracker`,
        procs: [proc],
      })
    },
    async stop() {
      await proc.stop('SIGTERM', 3_000)
      await removeDir(dir)
    },
  }
  try {
    // Usable = answers HTTP on the port with a bencoded reply.
    await waitUntil(
      async () => {
        const res = await fetch(`${base}/scrape`, { signal: AbortSignal.timeout(2_000) })
        return (await res.text()).startsWith('d')
      },
      { timeoutMs: 10_000, intervalMs: 100, what: 'opentracker to answer', procs: [proc] },
    )
  } catch (err) {
    await tracker.stop()
    throw err
  }
  return tracker
}
