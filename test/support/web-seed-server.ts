/**
 * HTTP servers for web seed (BEP 19) tests, on 127.0.0.1 only, each counting the requests it gets:
 * - `range`: serves files below a folder and honours `Range` (206 with Content-Range), as nginx does;
 * - `ignore-range`: answers every GET with `200` and the whole file, as Python's http.server does;
 * - `error-500`: answers every request with `500`;
 * - `garbage`: answers with bytes that are not HTTP and closes the connection;
 * - `corrupt`: honours Range, but every byte it sends is inverted (a mirror with damaged files);
 * and Python's own `http.server` (`startPythonServer`), the "real" server that ignores Range.
 */
import { spawn } from 'node:child_process'
import { createReadStream, promises as fs } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Transform } from 'node:stream'
import path from 'node:path'

export type WebSeedServerMode = 'range' | 'ignore-range' | 'error-500' | 'garbage' | 'corrupt'

export interface WebSeedServer {
  /** `http://127.0.0.1:<port>/`, ending in a slash. */
  url: string
  /** Every request's decoded path and time (Date.now()), in order; python's server records none. */
  requests: Array<{ path: string; at: number }>
  close(): Promise<void>
}

function decodedPath(url: string | undefined): string | null {
  try {
    return decodeURIComponent((url ?? '').split('?')[0] ?? '')
  } catch {
    return null
  }
}

/** The file below `root` a request path names, or null for one outside it or missing. */
async function fileFor(
  root: string,
  url: string | undefined,
): Promise<{ file: string; size: number } | null> {
  const decoded = decodedPath(url)
  if (decoded === null) return null
  const file = path.resolve(root, `.${decoded}`)
  if (!file.startsWith(root + path.sep)) return null
  const stat = await fs.stat(file).catch(() => null)
  return stat?.isFile() ? { file, size: stat.size } : null
}

function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null {
  const m = /^bytes=(\d+)-(\d*)$/.exec(header ?? '')
  if (!m) return null
  const start = Number(m[1])
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1
  return start <= end ? { start, end } : null
}

export async function startWebSeedServer(
  rootDir: string,
  mode: WebSeedServerMode,
): Promise<WebSeedServer> {
  const root = path.resolve(rootDir)
  const requests: WebSeedServer['requests'] = []
  const server = http.createServer((req, res) => {
    requests.push({ path: decodedPath(req.url) ?? req.url ?? '', at: Date.now() })
    if (mode === 'error-500') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('broken')
      return
    }
    if (mode === 'garbage') {
      req.socket.end('this is not HTTP\r\n\r\n\u0000\u0001')
      return
    }
    void fileFor(root, req.url).then((found) => {
      if (!found) {
        res.writeHead(404).end()
        return
      }
      const range =
        mode === 'range' || mode === 'corrupt' ? parseRange(req.headers.range, found.size) : null
      const { start, end } = range ?? { start: 0, end: found.size - 1 }
      res.writeHead(range ? 206 : 200, {
        'content-length': String(end - start + 1),
        'content-type': 'application/octet-stream',
        ...(range ? { 'content-range': `bytes ${start}-${end}/${found.size}` } : {}),
      })
      // A client that has what it needs closes the connection mid-body: that is not an error here.
      const body = createReadStream(found.file, { start, end }).on('error', () => res.destroy())
      if (mode !== 'corrupt') body.pipe(res)
      else
        body
          .pipe(
            new Transform({
              transform: (chunk: Buffer, _, done) =>
                done(
                  null,
                  chunk.map((b) => 255 - b),
                ),
            }),
          )
          .pipe(res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** `python3 -m http.server` serving `rootDir` on 127.0.0.1 (a free port it picks itself). */
export async function startPythonServer(rootDir: string): Promise<WebSeedServer> {
  const child = spawn(
    'python3',
    ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', rootDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(
      () => reject(new Error(`python3 http.server did not start: ${out}`)),
      10_000,
    )
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /port (\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`python3 http.server exited (${code}): ${out}`))
    })
  }).catch((err: unknown) => {
    child.kill()
    throw err
  })
  // Its access log goes to stderr; read so the pipe never fills.
  child.stderr.resume()
  return {
    url: `http://127.0.0.1:${port}/`,
    requests: [],
    close: async () => {
      child.kill()
      await exited
    },
  }
}
