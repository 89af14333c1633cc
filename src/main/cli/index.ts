/**
 * The `seedling` command line: info, create, download, seed. Exit codes: 0 success, 1 runtime failure,
 * 2 bad usage or bad input; always a one-line message on stderr, a stack trace only with --debug.
 *
 * Each command's module is imported when that command runs: `info` and `create` then never load the
 * engine, webtorrent or zod, which is most of the start-up time of the other commands.
 */
import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'
import { SeedlingError } from '@shared/api'
import { MAX_PORT } from '@shared/limits'
import { MetaInfoError } from '../engine/metainfo'
import { relaunchWithEngineFlags } from './relaunch'
import type { CliIo, NetworkFlags } from './transfer'
import { UsageError } from './usage-error'

const USAGE = `usage: seedling <command> [options]

commands:
  info <file.torrent|magnet> [--json] [--pieces]
  create <path> -o <out.torrent> [--tracker URL]... [--piece-length BYTES] [--private]
         [--comment TEXT] [--web-seed URL]... [--force]
  download <file.torrent|magnet|infohash> --dir DIR [--tracker URL]... [--peer HOST:PORT]...
         [--port N] [--no-dht] [--no-lsd] [--no-upnp] [--no-pex] [--encryption prefer|require|disable]
         [--seed] [--state-dir DIR]
  seed <path|file.torrent> [--dir DIR] [--tracker URL]... [--peer HOST:PORT]... [--port N]
         [--no-dht] [--no-lsd] [--no-upnp] [--no-pex] [--encryption prefer|require|disable]
         [--state-dir DIR]
  serve [--host 127.0.0.1] [--port N] [--token T] [--state-dir DIR] [--dir DIR]
         [--allow-root DIR]... [--no-dht] [--no-lsd] [--no-upnp] [--no-pex] [--renderer-dir DIR]
         (the app in a browser: prints http://127.0.0.1:N/?token=...; the token may also come
         from SEEDLING_TOKEN; a token holder may use files only in the download folder and
         the --allow-root folders; Ctrl+C stops)
  trackers list|add|remove <infohash> [URL]... [--tier N] [--state-dir DIR]
         (the tracker tiers of a torrent in a saved session, edited while no Seedling runs
         on it; add puts the URLs in a new last tier, or in tier N; a running app or serve
         edits them in its Trackers tab)
  webseeds list|add|remove <infohash> [URL]... [--state-dir DIR]
         (the same for a torrent's web seeds: http or https, at most 10)

global: --debug (stack traces), --help`

const networkOptions = {
  tracker: { type: 'string', multiple: true },
  peer: { type: 'string', multiple: true },
  port: { type: 'string' },
  'no-dht': { type: 'boolean' },
  'no-lsd': { type: 'boolean' },
  'no-upnp': { type: 'boolean' },
  'no-pex': { type: 'boolean' },
  encryption: { type: 'string' },
  'state-dir': { type: 'string' },
} as const satisfies ParseArgsConfig['options']

const commonOptions = {
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options']

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...commonOptions, ...options },
      allowPositionals: true,
      strict: true,
    })
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'bad arguments')
  }
}

function onePositional(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one ${what}`)
  return positionals[0]!
}

function intOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`)
  }
  return Number(value)
}

function networkFlags(values: Record<string, unknown>): NetworkFlags {
  const encryption = values.encryption as string | undefined
  if (encryption !== undefined && !['prefer', 'require', 'disable'].includes(encryption)) {
    throw new UsageError('--encryption must be prefer, require or disable')
  }
  const peers = (values.peer as string[] | undefined) ?? []
  for (const peer of peers) {
    if (!/^[^\s:]+:\d{1,5}$|^\[[0-9a-f:.]+\]:\d{1,5}$/i.test(peer)) {
      throw new UsageError(`--peer ${peer}: expected HOST:PORT`)
    }
  }
  return {
    trackers: (values.tracker as string[] | undefined) ?? [],
    peers,
    port: intOption(values.port as string | undefined, 'port', 0, MAX_PORT),
    dht: !values['no-dht'],
    lsd: !values['no-lsd'],
    upnp: !values['no-upnp'],
    pex: !values['no-pex'],
    encryption: encryption as NetworkFlags['encryption'],
    stateDir: values['state-dir'] as string | undefined,
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE)
    return command ? 0 : 2
  }
  switch (command) {
    case 'info': {
      const { values, positionals } = parse(rest, {
        json: { type: 'boolean' },
        pieces: { type: 'boolean' },
      })
      if (values.help) return help(io)
      const input = onePositional(positionals, '.torrent file or magnet link')
      const { runInfo } = await import('./info-command')
      io.out(await runInfo(input, { json: Boolean(values.json), pieces: Boolean(values.pieces) }))
      return 0
    }
    case 'create': {
      const { values, positionals } = parse(rest, {
        output: { type: 'string', short: 'o' },
        tracker: { type: 'string', multiple: true },
        'piece-length': { type: 'string' },
        private: { type: 'boolean' },
        comment: { type: 'string' },
        'web-seed': { type: 'string', multiple: true },
        force: { type: 'boolean' },
      })
      if (values.help) return help(io)
      const input = onePositional(positionals, 'file or folder to create a torrent from')
      if (!values.output) throw new UsageError('create needs -o <out.torrent>')
      const { runCreate } = await import('./create-command')
      io.out(
        await runCreate(input, {
          output: values.output,
          trackers: values.tracker ?? [],
          pieceLength: intOption(values['piece-length'], 'piece-length', 1, 2 ** 30),
          private: Boolean(values.private),
          comment: values.comment,
          webSeeds: values['web-seed'] ?? [],
          force: Boolean(values.force),
        }),
      )
      return 0
    }
    case 'download': {
      const { values, positionals } = parse(rest, {
        ...networkOptions,
        dir: { type: 'string' },
        seed: { type: 'boolean' },
      })
      if (values.help) return help(io)
      const input = onePositional(positionals, '.torrent file, magnet link or info hash')
      if (!values.dir) throw new UsageError('download needs --dir DIR')
      const { runDownload } = await import('./transfer')
      return runDownload(
        input,
        { ...networkFlags(values), dir: values.dir, seed: Boolean(values.seed) },
        io,
      )
    }
    case 'seed': {
      const { values, positionals } = parse(rest, { ...networkOptions, dir: { type: 'string' } })
      if (values.help) return help(io)
      const input = onePositional(positionals, 'file, folder or .torrent file')
      const { runSeed } = await import('./transfer')
      return runSeed(input, { ...networkFlags(values), dir: values.dir }, io)
    }
    case 'serve': {
      const { values, positionals } = parse(rest, {
        host: { type: 'string' },
        port: { type: 'string' },
        token: { type: 'string' },
        'state-dir': { type: 'string' },
        dir: { type: 'string' },
        'allow-root': { type: 'string', multiple: true },
        'no-dht': { type: 'boolean' },
        'no-lsd': { type: 'boolean' },
        'no-upnp': { type: 'boolean' },
        'no-pex': { type: 'boolean' },
        'renderer-dir': { type: 'string' },
      })
      if (values.help) return help(io)
      if (positionals.length > 0) throw new UsageError('serve takes no positional arguments')
      const { runServe } = await import('./serve')
      return runServe(
        {
          host: values.host,
          port: intOption(values.port, 'port', 0, MAX_PORT),
          token: values.token,
          stateDir: values['state-dir'],
          dir: values.dir,
          allowRoots: values['allow-root'],
          dht: !values['no-dht'],
          lsd: !values['no-lsd'],
          upnp: !values['no-upnp'],
          pex: !values['no-pex'],
          rendererDir: values['renderer-dir'],
        },
        io,
      )
    }
    case 'trackers':
    case 'webseeds': {
      const { values, positionals } = parse(rest, {
        tier: { type: 'string' },
        'state-dir': { type: 'string' },
      })
      if (values.help) return help(io)
      const [action, infoHash, ...urls] = positionals
      if (action !== 'list' && action !== 'add' && action !== 'remove') {
        throw new UsageError(`${command} needs list, add or remove`)
      }
      if (!infoHash || !/^[0-9a-f]{40}$/i.test(infoHash)) {
        throw new UsageError(`${command} needs the torrent's info hash (40 hex characters)`)
      }
      const [{ runTrackers, runWebSeeds }, { defaultStateDir }] = await Promise.all([
        import('./trackers-command'),
        import('./serve'),
      ])
      if (command === 'webseeds' && values.tier !== undefined) {
        throw new UsageError('--tier is for trackers')
      }
      const edit = command === 'trackers' ? runTrackers : runWebSeeds
      const lines = await edit(action, {
        stateDir: values['state-dir'] ?? defaultStateDir(),
        infoHash,
        urls,
        tier: intOption(values.tier, 'tier', 1, 100),
      })
      for (const line of lines) io.out(line)
      return 0
    }
    default:
      throw new UsageError(`unknown command: ${command} (try --help)`)
  }
}

function help(io: CliIo): number {
  io.out(USAGE)
  return 0
}

function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError || err instanceof MetaInfoError) return 2
  // A refused path is the user's input too; a state folder in use is not (exit 1).
  if (err instanceof SeedlingError && (err.code === 'invalid' || err.code === 'forbidden')) return 2
  return 1
}

/** The commands that run the engine in this process. */
const ENGINE_COMMANDS = new Set(['download', 'seed', 'serve'])

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  if (ENGINE_COMMANDS.has(argv[0] ?? '') && !argv.includes('--help') && !argv.includes('-h')) {
    relaunchWithEngineFlags()
  }
  const debug = argv.includes('--debug')
  const stopSignal = new Promise<string>((resolve) => {
    const onSignal = (signal: string): void => resolve(signal)
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  })
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    write: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stderr.isTTY),
    stopSignal,
  }
  let code: number
  try {
    code = await run(argv, io)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    process.stderr.write(`seedling: ${message.split('\n')[0]}\n`)
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`)
    code = exitCodeFor(err)
  }
  // Handles left by the network stack (timers, sockets being torn down) must not keep the process up.
  process.exit(code)
}

void main()
