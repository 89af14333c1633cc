import { describe, expect, it } from 'vitest'
import { contentTypeOf } from './content-type'

describe('contentTypeOf', () => {
  it('names the types the renderer build emits, octet-stream otherwise', () => {
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8')
    expect(contentTypeOf('a/index-x.JS')).toBe('text/javascript; charset=utf-8')
    expect(contentTypeOf('a.css')).toBe('text/css; charset=utf-8')
    expect(contentTypeOf('a.svg')).toBe('image/svg+xml')
    expect(contentTypeOf('a.woff2')).toBe('font/woff2')
    expect(contentTypeOf('a.exe')).toBe('application/octet-stream')
  })
})
