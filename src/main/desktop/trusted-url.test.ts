import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isTrustedRendererUrl } from './trusted-url'

const built = { rendererUrl: undefined }
const dev = { rendererUrl: 'http://localhost:5173' }
const builtFile = '/opt/Seedling/resources/app.asar/out/renderer/index.html'

describe('isTrustedRendererUrl', () => {
  it('built app: the app:// origin only, any page, hash and query', () => {
    expect(isTrustedRendererUrl('app://seedling/index.html', built)).toBe(true)
    expect(isTrustedRendererUrl('app://seedling/index.html#/torrents?x=1', built)).toBe(true)
    expect(isTrustedRendererUrl('app://seedling', built)).toBe(true)
    for (const url of [
      pathToFileURL(builtFile).href,
      'file:///tmp/evil/out/renderer/index.html',
      'app://seedling.evil.com/index.html',
      'app://evil/index.html',
      'app://seedling:1234/index.html',
      'http://localhost:5173/',
      'https://seedling/index.html',
      'not a url',
    ])
      expect(isTrustedRendererUrl(url, built), url).toBe(false)
  })

  it('development: only the dev server origin, not the app:// origin', () => {
    expect(isTrustedRendererUrl('http://localhost:5173/', dev)).toBe(true)
    expect(isTrustedRendererUrl('http://localhost:5173/index.html#/x', dev)).toBe(true)
    expect(isTrustedRendererUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isTrustedRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false)
    expect(isTrustedRendererUrl('http://localhost:5173.evil.com/', dev)).toBe(false)
    expect(isTrustedRendererUrl('ws://localhost:5173/', dev)).toBe(false)
    expect(isTrustedRendererUrl('app://seedling/index.html', dev)).toBe(false)
    expect(isTrustedRendererUrl(pathToFileURL(builtFile).href, dev)).toBe(false)
  })
})
