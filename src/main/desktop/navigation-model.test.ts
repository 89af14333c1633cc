import { describe, expect, it } from 'vitest'
import { externalLinkTarget } from './navigation-model'
import { isAppUrl } from './app-protocol'

const APP = 'app://seedling/index.html'

describe('externalLinkTarget', () => {
  it('sends plain https links from the app page to the browser', () => {
    expect(externalLinkTarget('https://example.org/docs?a=1#b', APP, isAppUrl)).toBe(
      'https://example.org/docs?a=1#b',
    )
  })

  it('refuses other schemes and credentials in the URL', () => {
    for (const url of [
      'http://example.org/',
      'file:///etc/passwd',
      'magnet:?xt=urn:btih:' + 'a'.repeat(40),
      'javascript:alert(1)',
      'smb://host/share',
      'app://seedling/index.html',
      'about:blank',
      'https://github.com@evil.example/',
      'https://user:pass@example.org/',
      'not a url',
    ])
      expect(externalLinkTarget(url, APP, isAppUrl), url).toBeNull()
  })

  it('refuses links opened by any page that is not the app', () => {
    expect(externalLinkTarget('https://example.org/', 'https://evil.example/', isAppUrl)).toBeNull()
    expect(externalLinkTarget('https://example.org/', 'about:blank', isAppUrl)).toBeNull()
    expect(externalLinkTarget('https://example.org/', '', isAppUrl)).toBeNull()
  })
})
