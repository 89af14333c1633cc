/**
 * V8 start-up flags for every process that runs the engine: the CLI's download, seed and serve (which
 * relaunch themselves with them, src/main/cli/relaunch.ts), the desktop engine host (Electron
 * utilityProcess, src/main/desktop/utility-channel.ts) and the bench's engine process.
 *
 * `--max-semi-space-size=2` (MiB): a transfer allocates a steady stream of short-lived objects (socket
 * chunks, decrypted copies, block views, request bookkeeping). V8's default lets each of the two young
 * semi-spaces grow to 16 MiB under that load, memory the process keeps for nothing but fewer
 * scavenges. Measured in the bench's download of 256 MiB (bench/README.md, 5 runs each): peak RSS
 * 211 -> 170 MiB, CPU within noise; 1 and 4 MiB gave no lower peak (177 and 176 MiB).
 *
 * `--heap-growing-percent=150`: after each full collection V8 sets the next old-generation limit from
 * how costly collections look on the main thread; with marking done concurrently on worker threads
 * they look cheap, so it left ~10 MB of headroom over a ~20 MB old generation and a download ran a
 * full mark-compact every 50-100 ms (55-66 per 256 MiB, `--trace-gc`), each marking the whole heap on
 * the workers. A fixed factor of 2.5 (limit = live size x 2.5): CPU 4.05 -> 3.20 s and peak RSS 172
 * -> 162 MiB in the same download (5 interleaved runs; 100: 3.55 s / 155 MiB, 200: 3.05 s / 173 MiB,
 * 300: 2.93 s / 195 MiB).
 *
 * No `--max-old-space-size`: the old generation holds 20-30 MiB in the bench; a cap would not lower
 * that and would only turn a leak or a huge session into a crash.
 *
 * The semi-space size must be given at start-up: V8 sizes the young generation when it creates the
 * isolate, and `v8.setFlagsFromString` afterwards leaves it as it was (checked: it stayed 16 MiB). The
 * growing factor goes the same way, so one list serves every launcher.
 */
export const ENGINE_V8_FLAGS: readonly string[] = [
  '--max-semi-space-size=2',
  '--heap-growing-percent=150',
]

/** A flag's name, `--max-semi-space-size` for `--max-semi-space-size=2`; V8 treats `_` as `-`. */
function flagName(flag: string): string {
  return flag.split('=')[0]!.replaceAll('_', '-')
}

/**
 * The engine flags not yet set, to any value, in `execArgv` or NODE_OPTIONS. A flag given is in force
 * (a relaunched process) or was chosen by whoever started node, whose value wins.
 */
export function missingEngineFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].map(flagName))
  return ENGINE_V8_FLAGS.filter((flag) => !given.has(flagName(flag)))
}

/**
 * `execArgv` for Electron's `utilityProcess.fork`. Its V8 isolate exists before Node sees execArgv,
 * so a bare V8 flag there would be too late; but Electron also puts each execArgv entry on the
 * child's command line as a Chromium switch, and the child passes `--js-flags` to V8 before creating
 * the isolate (electron shell/browser/javascript_environment.cc, services/node/node_service.cc).
 */
export function utilityProcessExecArgv(): string[] {
  return [`--js-flags=${ENGINE_V8_FLAGS.join(' ')}`]
}
