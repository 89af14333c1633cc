// The bench talks only to 127.0.0.1. Where Linux allows it (root, or unprivileged user namespaces),
// it runs itself in a private network namespace, so nothing any client does can leave the machine.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Set in the re-executed child: it must never re-execute again, whatever it sees. */
const MARK = 'SEEDLING_BENCH_NETNS'

/**
 * True when this process sees no network interface but loopback (already inside `unshare -n`).
 * /proc/self/net is per network namespace; /sys/class/net is not (it shows the namespace that mounted
 * sysfs), so judging by it made every child re-execute itself again, without end.
 */
function isolated(): boolean {
  try {
    const names = readFileSync('/proc/self/net/dev', 'utf8')
      .split('\n')
      .slice(2)
      .map((line) => line.split(':')[0]!.trim())
      .filter(Boolean)
    return names.every((name) => name === 'lo')
  } catch {
    return false
  }
}

/**
 * Re-runs this process inside `unshare -n` with loopback up and returns its exit code, or null when
 * the process should go on as it is (already isolated, or namespaces are not permitted here).
 */
export function reexecInPrivateNetwork(log: (line: string) => void): number | null {
  if (process.platform !== 'linux' || process.env[MARK] || isolated()) return null
  if (spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore' }).status !== 0) {
    log(
      'unshare -n is not permitted here: running in the host network namespace (clients bind 127.0.0.1)',
    )
    return null
  }
  const self = [process.execPath, ...process.execArgv, ...process.argv.slice(1)]
  const r = spawnSync(
    'unshare',
    ['-n', 'bash', '-c', 'ip link set lo up && exec "$@"', 'bench', ...self],
    { stdio: 'inherit', env: { ...process.env, [MARK]: '1' } },
  )
  return r.status ?? 1
}
