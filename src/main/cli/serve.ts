/**
 * `seedling serve`: the engine without a window. It serves the built renderer and the API over a WebSocket
 * (src/main/remote), prints the tokened address, and stops cleanly on SIGINT/SIGTERM.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDispatcher } from '../api-dispatch'
import { TorrentEngine } from '../engine/engine'
import { isLoopbackHost, MIN_TOKEN_LENGTH } from '../remote/auth'
import { startRemoteServer } from '../remote/server'
import type { CliIo } from './transfer'
import { UsageError } from './usage-error'

export interface ServeOptions {
  host?: string
  /** 0 or absent picks a free port. */
  port?: number
  token?: string
  stateDir?: string
  /** Download folder for this run (the saved setting otherwise). */
  dir?: string
  /**
   * More folders a token holder may use, besides the download folder (`--allow-root`): the only way to
   * widen its reach, so that a token never widens its own.
   */
  allowRoots?: string[]
  dht: boolean
  lsd: boolean
  upnp: boolean
  pex: boolean
  /** The built renderer; found next to the program when absent. */
  rendererDir?: string
}

/** The per-user state folder: the same place the desktop app keeps its session. */
export function defaultStateDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') {
    return path.join(env['APPDATA'] || path.join(home, 'AppData', 'Roaming'), 'Seedling')
  }
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Seedling')
  const xdg = env['XDG_DATA_HOME']
  return path.join(
    xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share'),
    'seedling',
  )
}

/** Where the built renderer is: `SEEDLING_RENDERER_DIR`, else `out/renderer` beside this program. */
export function findRendererDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['SEEDLING_RENDERER_DIR']) return path.resolve(env['SEEDLING_RENDERER_DIR'])
  const here = path.dirname(fileURLToPath(import.meta.url))
  const candidates = [
    path.resolve(here, '../../../out/renderer'), // src/main/cli (tsx)
    path.resolve(here, '../renderer'), // out/main or out/cli (bundled)
    path.resolve(here, '../../renderer'),
  ]
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[0]!
}

export function generateToken(): string {
  return randomBytes(24).toString('base64url')
}

export async function runServe(
  opts: ServeOptions,
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  // SEEDLING_TOKEN keeps the token out of the process list, where --token is visible to other users.
  const given = opts.token ?? (env['SEEDLING_TOKEN'] || undefined)
  if (given !== undefined && given.length < MIN_TOKEN_LENGTH) {
    throw new UsageError(`--token must be at least ${MIN_TOKEN_LENGTH} characters`)
  }
  if (given !== undefined && !/^[\x21-\x7e]+$/.test(given)) {
    throw new UsageError('--token must be printable ASCII without spaces')
  }
  const host = opts.host ?? '127.0.0.1'
  const token = given ?? generateToken()
  const stateDir = path.resolve(opts.stateDir ?? defaultStateDir())
  const downloadDir = path.resolve(opts.dir ?? path.join(os.homedir(), 'Downloads'))
  const rendererDir = opts.rendererDir ? path.resolve(opts.rendererDir) : findRendererDir()
  const allowedRoots = [downloadDir, ...(opts.allowRoots ?? []).map((r) => path.resolve(r))]
  await fs.mkdir(stateDir, { recursive: true })

  const engine = await TorrentEngine.open({
    stateDir,
    defaultDownloadDir: downloadDir,
    // Run-only overrides: a flag turns something off (or sets the folder) without touching saved settings.
    overrides: {
      ...(opts.dht ? {} : { dht: false }),
      ...(opts.lsd ? {} : { lsd: false }),
      ...(opts.upnp ? {} : { natTraversal: false }),
      ...(opts.pex ? {} : { pex: false }),
      ...(opts.dir !== undefined ? { downloadDir } : {}),
    },
    allowedRoots,
    log: (m) => io.err(m),
  })
  try {
    const server = await startRemoteServer({
      engine,
      dispatch: createDispatcher(engine),
      host,
      port: opts.port ?? 0,
      token,
      rendererDir,
      log: (m) => io.err(m),
    })
    try {
      io.out(`Seedling is serving on ${server.loginUrl}`)
      if (given === undefined) io.out(`token: ${token}`)
      io.err(`a token holder may use files in: ${allowedRoots.join(', ')}`)
      if (!isLoopbackHost(host)) {
        io.err(
          `warning: bound to ${host}: the web remote is reachable from the network over plain ` +
            `HTTP; anyone with the token can read and write files in ${allowedRoots.join(', ')}`,
        )
      }
      const signal = await io.stopSignal
      io.err(`${signal}: stopping`)
      return 0
    } finally {
      await server.close()
    }
  } finally {
    await engine.close()
  }
}
