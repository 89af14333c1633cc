/**
 * Fetches a .torrent named by URL for "Add from URL". The URL comes from a client, so: http and https
 * only (also after each redirect), a size cap (the .torrent limit, checked on the header and while
 * reading), one deadline over connect, redirects and body, and, where asked (`seedling serve`, whose token
 * holder may be someone else), public addresses only: every address the name resolves to is checked at
 * connect time by the socket's own lookup, so a name cannot resolve to a public address for a check and
 * to 127.0.0.1 for the connection.
 */
import dns from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import path from 'node:path'
import { SeedlingError } from '@shared/api'
import { MAX_TORRENT_FILE_BYTES, MAX_TORRENT_FILE_SIZE_TEXT } from '@shared/limits'

export interface UrlFetchPolicy {
  /** Refuse loopback, private, link-local and other non-public addresses. */
  publicOnly: boolean
  timeoutMs?: number
  maxBytes?: number
}

export interface FetchedTorrent {
  data: Uint8Array
  /** The last path segment of the final URL, for the add dialog's label. */
  fileName: string
}

const MAX_REDIRECTS = 3
const DEFAULT_TIMEOUT_MS = 20_000

// Loopback, "this network", private (RFC 1918, ULA), shared (CGNAT), link-local, multicast and reserved.
const nonPublic = new net.BlockList()
for (const [net4, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  nonPublic.addSubnet(net4, prefix, 'ipv4')
}
for (const [net6, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  nonPublic.addSubnet(net6, prefix, 'ipv6')
}

export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  const ip = mapped ? mapped[1]! : address
  const family = net.isIPv4(ip) ? 'ipv4' : net.isIPv6(ip) ? 'ipv6' : null
  return family !== null && !nonPublic.check(ip, family)
}

function refuseAddress(host: string, address: string): SeedlingError {
  return new SeedlingError(
    `refused to fetch from ${host}: ${address} is not a public address (loopback, private or local network)`,
    'forbidden',
  )
}

/** dns.lookup, then every address checked: the connection uses exactly what was checked. */
function publicLookup(host: string): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0)
      const bad = addresses.find((a) => !isPublicAddress(a.address))
      if (bad) return callback(refuseAddress(host, bad.address), '', 0)
      if (options.all) return callback(null, addresses as never, 0)
      const first = addresses[0]!
      callback(null, first.address, first.family)
    })
  }
}

export function checkTorrentUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new SeedlingError(`not a URL: ${raw}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SeedlingError(`only http and https URLs can be fetched, not ${url.protocol}`)
  }
  return url
}

export async function fetchTorrentUrl(
  raw: string,
  policy: UrlFetchPolicy,
): Promise<FetchedTorrent> {
  const maxBytes = policy.maxBytes ?? MAX_TORRENT_FILE_BYTES
  const deadline = new AbortController()
  const timeoutMs = policy.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const timer = setTimeout(() => deadline.abort(), timeoutMs)
  try {
    let url = checkTorrentUrl(raw)
    for (let hop = 0; ; hop++) {
      const reply = await get(url, policy, deadline.signal, maxBytes)
      if (reply.kind === 'body') {
        const fileName = decodeURIComponent(path.posix.basename(url.pathname)) || url.hostname
        return { data: reply.data, fileName }
      }
      if (hop >= MAX_REDIRECTS) throw new SeedlingError(`more than ${MAX_REDIRECTS} redirects`)
      url = checkTorrentUrl(new URL(reply.location, url).href)
    }
  } catch (err) {
    if (deadline.signal.aborted) {
      throw new SeedlingError(`no .torrent from ${raw} within ${timeoutMs / 1000} s`, 'io')
    }
    throw err
  } finally {
    clearTimeout(timer)
  }
}

type Reply = { kind: 'body'; data: Uint8Array } | { kind: 'redirect'; location: string }

function get(
  url: URL,
  policy: UrlFetchPolicy,
  signal: AbortSignal,
  maxBytes: number,
): Promise<Reply> {
  // An address literal is never looked up, so it is judged here.
  const literal = url.hostname.replace(/^\[|\]$/g, '')
  if (policy.publicOnly && net.isIP(literal) && !isPublicAddress(literal)) {
    return Promise.reject(refuseAddress(url.hostname, literal))
  }
  const lib = url.protocol === 'https:' ? https : http
  return new Promise<Reply>((resolve, reject) => {
    const req = lib.get(
      url,
      {
        signal,
        lookup: policy.publicOnly ? publicLookup(url.hostname) : undefined,
        headers: { accept: 'application/x-bittorrent, */*;q=0.5' },
      },
      (res) => {
        const status = res.statusCode ?? 0
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume()
          resolve({ kind: 'redirect', location: res.headers.location })
          return
        }
        if (status < 200 || status >= 300) {
          res.resume()
          reject(new SeedlingError(`${url.host} answered ${status} for ${url.pathname}`, 'io'))
          return
        }
        const tooBig = (): SeedlingError =>
          new SeedlingError(`the file at ${url.href} is over ${MAX_TORRENT_FILE_SIZE_TEXT}`)
        if (Number(res.headers['content-length'] ?? 0) > maxBytes) {
          res.destroy()
          reject(tooBig())
          return
        }
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > maxBytes) {
            res.destroy()
            reject(tooBig())
          } else chunks.push(chunk)
        })
        res.on('end', () => resolve({ kind: 'body', data: new Uint8Array(Buffer.concat(chunks)) }))
        res.on('error', reject)
      },
    )
    req.on('error', (err) =>
      reject(
        err instanceof SeedlingError
          ? err
          : new SeedlingError(`cannot fetch ${url.href}: ${err.message}`, 'io'),
      ),
    )
  })
}
