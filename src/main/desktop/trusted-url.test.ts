import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isTrustedRendererUrl } from './trusted-url'

const rendererFile = '/opt/Seedling/resources/app.asar/out/renderer/index.html'
const built = { rendererUrl: undefined, rendererFile }
const dev = { rendererUrl: 'http://localhost:5173', rendererFile }

describe('isTrustedRendererUrl', () => {
  it('built app: only the renderer index.html, hash and query allowed', () => {
    const page = pathToFileURL(rendererFile).href
    expect(isTrustedRendererUrl(page, built)).toBe(true)
    expect(isTrustedRendererUrl(`${page}#/torrents?x=1`, built)).toBe(true)
    expect(isTrustedRendererUrl('file:///tmp/evil/out/renderer/index.html', built)).toBe(false)
    expect(
      isTrustedRendererUrl(
        `${pathToFileURL('/opt/Seedling/resources/app.asar/out/renderer').href}/../../../../../tmp/x.html`,
        built,
      ),
    ).toBe(false)
    expect(
      isTrustedRendererUrl(
        'file://evil.host/opt/Seedling/resources/app.asar/out/renderer/index.html',
        built,
      ),
    ).toBe(false)
    expect(isTrustedRendererUrl('http://localhost:5173/', built)).toBe(false)
    expect(isTrustedRendererUrl('not a url', built)).toBe(false)
  })

  it('development: only the dev server origin', () => {
    expect(isTrustedRendererUrl('http://localhost:5173/', dev)).toBe(true)
    expect(isTrustedRendererUrl('http://localhost:5173/index.html#/x', dev)).toBe(true)
    expect(isTrustedRendererUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isTrustedRendererUrl('http://localhost:5173.evil.com/', dev)).toBe(false)
    expect(isTrustedRendererUrl(pathToFileURL(rendererFile).href, dev)).toBe(false)
  })
})
