import { describe, expect, it } from 'vitest'
import {
  allowedHosts,
  authenticate,
  cookieName,
  cookieValue,
  hostAllowed,
  isLoopbackHost,
  originAllowed,
  parseCookies,
  safeEqual,
} from './auth'
import { safeSegments } from './static'

describe('auth', () => {
  it('compares tokens exactly', () => {
    expect(safeEqual('abcdefghijklmnop', 'abcdefghijklmnop')).toBe(true)
    expect(safeEqual('abcdefghijklmnop', 'abcdefghijklmnoq')).toBe(false)
    expect(safeEqual('abc', 'abcdefghijklmnop')).toBe(false)
    expect(safeEqual('', 'x')).toBe(false)
  })

  it('accepts the bearer token or the derived cookie', () => {
    const token = 't'.repeat(32)
    expect(authenticate({ authorization: `Bearer ${token}` }, token, 80)).toBe('bearer')
    expect(authenticate({ authorization: `bearer  ${token} ` }, token, 80)).toBe('bearer')
    expect(authenticate({ authorization: `Basic ${token}` }, token, 80)).toBeNull()
    const cookie = `other=1; ${cookieName(80)}=${cookieValue(token)}`
    expect(authenticate({ cookie }, token, 80)).toBe('cookie')
    expect(authenticate({ cookie }, token, 81)).toBeNull()
    expect(authenticate({ cookie: `${cookieName(80)}=${token}` }, token, 80)).toBeNull()
    expect(authenticate({}, token, 80)).toBeNull()
    expect(cookieValue(token)).not.toContain(token)
  })

  it('parses cookies', () => {
    expect([...parseCookies(' a=1; b = 2 ;c=x=y; bad')]).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', 'x=y'],
    ])
  })

  it('allows loopback names and the bound host, with the port', () => {
    const hosts = allowedHosts('127.0.0.1', 8080)
    expect(hostAllowed('127.0.0.1:8080', hosts)).toBe(true)
    expect(hostAllowed('localhost:8080', hosts)).toBe(true)
    expect(hostAllowed('[::1]:8080', hosts)).toBe(true)
    expect(hostAllowed('127.0.0.1', hosts)).toBe(false)
    expect(hostAllowed('127.0.0.1:8081', hosts)).toBe(false)
    expect(hostAllowed('evil.example:8080', hosts)).toBe(false)
    expect(hostAllowed(undefined, hosts)).toBe(false)
    expect(hostAllowed('192.168.1.5:8080', allowedHosts('192.168.1.5', 8080))).toBe(true)
    expect(hostAllowed('[fd00::1]:8080', allowedHosts('fd00::1', 8080))).toBe(true)
    expect(hostAllowed('127.0.0.1', allowedHosts('127.0.0.1', 80))).toBe(true)
    expect(hostAllowed('evil.example:8080', allowedHosts('0.0.0.0', 8080))).toBe(false)
  })

  it('allows only the server itself as a WebSocket Origin', () => {
    const hosts = allowedHosts('127.0.0.1', 8080)
    expect(originAllowed('http://127.0.0.1:8080', hosts)).toBe(true)
    expect(originAllowed('http://localhost:8080', hosts)).toBe(true)
    expect(originAllowed('https://127.0.0.1:8080', hosts)).toBe(false)
    expect(originAllowed('http://127.0.0.1:8080/', hosts)).toBe(false)
    expect(originAllowed('http://evil.example', hosts)).toBe(false)
    expect(originAllowed('null', hosts)).toBe(false)
    expect(originAllowed(undefined, hosts)).toBe(false)
  })

  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) {
      expect(isLoopbackHost(h), h).toBe(true)
    }
    for (const h of ['0.0.0.0', '::', '192.168.0.1', 'example.com']) {
      expect(isLoopbackHost(h), h).toBe(false)
    }
  })
})

describe('static paths', () => {
  it('maps / to index.html and keeps plain segments', () => {
    expect(safeSegments('/')).toEqual(['index.html'])
    expect(safeSegments('/assets/index-abc.js')).toEqual(['assets', 'index-abc.js'])
    expect(safeSegments('/a%20b.js')).toEqual(['a b.js'])
  })

  it('refuses traversal, encoded separators, dot-files and bad encodings', () => {
    for (const p of [
      '/../x',
      '/%2e%2e/x',
      '/a/%2E%2E/x',
      '/..%2fx',
      '/a%2f..%2fx',
      '/a%5c..%5cx',
      '/.env',
      '/%00',
      '/%ff',
      '/c:foo',
      'relative',
    ]) {
      expect(safeSegments(p), p).toBeNull()
    }
  })
})
