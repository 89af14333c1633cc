import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { devCsp, metaCsp, productionCsp, withCspMeta } from './csp'

const indexHtml = readFileSync(path.resolve(__dirname, '../../renderer/index.html'), 'utf8')

function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const d of policy.split(';')) {
    const [name, ...sources] = d.trim().split(/\s+/)
    if (name) map.set(name, sources)
  }
  return map
}

describe('productionCsp', () => {
  const p = directives(productionCsp())

  it('allows nothing by default and only the app itself for what the renderer loads', () => {
    expect(p.get('default-src')).toEqual(["'none'"])
    for (const d of ['script-src', 'style-src', 'img-src', 'font-src', 'connect-src'])
      expect(p.get(d), d).toEqual(["'self'"])
    expect(p.get('base-uri')).toEqual(["'none'"])
    expect(p.get('form-action')).toEqual(["'none'"])
    expect(p.get('frame-ancestors')).toEqual(["'none'"])
  })

  it('has no wildcard, scheme source or unsafe keyword', () => {
    expect(productionCsp()).not.toMatch(/\*|unsafe-|\bws:|\bwss:|\bhttps?:|data:|blob:/)
  })
})

describe('devCsp', () => {
  it('allows the exact dev server origin and its ws: for hot reload, nothing else', () => {
    const p = directives(devCsp('http://localhost:5173'))
    expect(p.get('default-src')).toEqual(["'none'"])
    expect(p.get('script-src')).toEqual(['http://localhost:5173'])
    expect(p.get('connect-src')).toEqual(['http://localhost:5173', 'ws://localhost:5173'])
    expect(p.get('style-src')).toEqual(['http://localhost:5173', "'unsafe-inline'"])
    expect(devCsp('http://localhost:5173')).not.toMatch(/\*|'self'|unsafe-eval|localhost(?!:5173)/)
  })

  it('uses the origin only (no path) and wss: for an https server', () => {
    const p = directives(devCsp('https://127.0.0.1:5443/some/page?x=1'))
    expect(p.get('script-src')).toEqual(['https://127.0.0.1:5443'])
    expect(p.get('connect-src')).toEqual(['https://127.0.0.1:5443', 'wss://127.0.0.1:5443'])
  })

  it('refuses a dev URL that is not http(s)', () => {
    expect(() => devCsp('file:///tmp/index.html')).toThrow('http(s)')
    expect(() => devCsp('not a url')).toThrow()
  })
})

describe('metaCsp', () => {
  it('drops the header-only directives and keeps the rest in order', () => {
    expect(metaCsp("default-src 'none'; frame-ancestors 'none'; script-src 'self'")).toBe(
      "default-src 'none'; script-src 'self'",
    )
  })

  it('src/renderer/index.html carries the production policy', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(indexHtml)
    expect(meta?.[1]).toBe(metaCsp(productionCsp()))
  })
})

describe('withCspMeta', () => {
  it("rewrites the page's meta tag to the dev policy, and nothing else", () => {
    const dev = devCsp('http://localhost:5173')
    const out = withCspMeta(indexHtml, dev)
    expect(out).toContain(`content="${metaCsp(dev)}"`)
    expect(out).not.toContain("'self'")
    expect(out.replace(metaCsp(dev), 'X')).toBe(indexHtml.replace(metaCsp(productionCsp()), 'X'))
  })

  it('throws on a page without the meta tag rather than serve it without a policy', () => {
    expect(() => withCspMeta('<html><head></head></html>', productionCsp())).toThrow('no Content')
  })
})
