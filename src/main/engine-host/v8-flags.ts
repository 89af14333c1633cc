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
 * No `--max-old-space-size`: the old generation holds 20-30 MiB in the bench; a cap would not lower
 * that and would only turn a leak or a huge session into a crash.
 *
 * They are start-up flags: V8 sizes the heap when it creates the isolate, and `v8.setFlagsFromString`
 * afterwards leaves the young generation as it was (checked: it stayed 16 MiB).
 */
export const ENGINE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=2']

/** A flag's name, `--max-semi-space-size` for `--max-semi-space-size=2`; V8 treats `_` as `-`. */
function flagName(flag: string): string {
  return flag.split('=')[0]!.replaceAll('_', '-')
}

/**
 * True when every engine flag is already set, to any value, in `execArgv` or NODE_OPTIONS: the flags
 * are in force (a relaunched process), or whoever started node chose other values, which win.
 */
export function engineFlagsSet(execArgv: readonly string[], nodeOptions = ''): boolean {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].map(flagName))
  return ENGINE_V8_FLAGS.every((flag) => given.has(flagName(flag)))
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
