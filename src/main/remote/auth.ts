/**
 * The web remote's gatekeeping, as pure functions: the token (constant-time compare), the session cookie
 * derived from it, and the Host / Origin allowlists that defeat DNS rebinding and cross-site WebSockets.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import os from 'node:os'

/** Tokens shorter than this are refused: they could be guessed. */
export const MIN_TOKEN_LENGTH = 16

/** Compares two secrets in time that depends on neither's content nor length. */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest()
  const b = createHash('sha256').update(expected, 'utf8').digest()
  return timingSafeEqual(a, b) && given.length === expected.length
}

/**
 * The cookie's name carries the port: cookies ignore ports, so two servers on one machine must not
 * overwrite each other's.
 */
export const cookieName = (port: number): string => `seedling_${port}`

/**
 * The cookie holds a value derived from the token, not the token itself: it stays valid across restarts
 * with the same `--token`, yet a leaked cookie does not reveal the token.
 */
export function cookieValue(token: string): string {
  return createHmac('sha256', token).update('seedling web remote session v1').digest('base64url')
}

export function sessionCookie(token: string, port: number): string {
  return `${cookieName(port)}=${cookieValue(token)}; Path=/; HttpOnly; SameSite=Strict`
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>()
  if (!header) return cookies
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const name = part.slice(0, eq).trim()
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim())
  }
  return cookies
}

export type AuthMethod = 'bearer' | 'cookie'

/**
 * How a request proved it holds the token: `Authorization: Bearer T` or the session cookie. A wrong bearer
 * token fails the request even when the cookie is right.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  token: string,
  port: number,
): AuthMethod | null {
  const authorization = headers.authorization
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
    return match && safeEqual(match[1]!, token) ? 'bearer' : null
  }
  const cookie = parseCookies(headers.cookie).get(cookieName(port))
  return cookie !== undefined && safeEqual(cookie, cookieValue(token)) ? 'cookie' : null
}

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]', '::0'])

export function isWildcardHost(host: string): boolean {
  return WILDCARDS.has(host.trim().toLowerCase())
}

export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h)
}

/** `host` as it appears in a URL or a Host header: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
}

/**
 * Every `host:port` the server answers to. Loopback names always; the bound host when it is a name or an
 * address; for a wildcard bind, this machine's own addresses and name. An attacker's domain that resolves
 * to us (DNS rebinding) is never on the list, because the browser sends that domain as the Host.
 */
export function allowedHosts(boundHost: string, port: number, extra: string[] = []): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]', ...extra]
  if (isWildcardHost(boundHost)) {
    names.push(os.hostname())
    for (const list of Object.values(os.networkInterfaces())) {
      for (const iface of list ?? []) {
        // Link-local IPv6 needs a zone id, which a Host header cannot carry usefully.
        if (iface.family === 'IPv6' && iface.address.toLowerCase().startsWith('fe80')) continue
        names.push(iface.address)
      }
    }
  } else {
    names.push(boundHost)
  }
  const hosts = new Set<string>()
  for (const name of names) {
    const h = urlHost(name.trim().toLowerCase())
    if (!h) continue
    hosts.add(`${h}:${port}`)
    // Browsers leave the default port out of Host and Origin.
    if (port === 80) hosts.add(h)
  }
  return hosts
}

export function hostAllowed(host: string | undefined, allowed: Set<string>): boolean {
  return host !== undefined && allowed.has(host.trim().toLowerCase())
}

/** A WebSocket's Origin must be this server itself, reached by one of its own names. */
export function originAllowed(origin: string | undefined, allowed: Set<string>): boolean {
  if (!origin) return false
  const match = /^http:\/\/([^/?#]+)$/i.exec(origin.trim())
  return Boolean(match && allowed.has(match[1]!.toLowerCase()))
}
