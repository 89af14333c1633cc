import { describe, expect, it } from 'vitest'
import { toWebSeedReport } from './webseed-status'

describe('toWebSeedReport', () => {
  const raw = {
    url: 'http://x.test/a',
    state: 'backoff',
    downloaded: 10,
    error: 'HTTP 500',
    retryAt: 5,
  }

  it('keeps what the patched stack reports', () => {
    expect(toWebSeedReport(raw, false)).toEqual({
      url: 'http://x.test/a',
      state: 'backoff',
      downloaded: 10,
      error: 'HTTP 500',
      retryAt: 5,
    })
  })

  it('shows a closed connection as an error with a reason, and no retry', () => {
    expect(toWebSeedReport({ ...raw, error: null }, true)).toMatchObject({
      state: 'error',
      error: 'the connection to this web seed was closed',
      retryAt: null,
    })
    expect(toWebSeedReport(raw, true)).toMatchObject({ state: 'error', error: 'HTTP 500' })
  })

  it('reads anything unexpected as unknown, never as a bad value', () => {
    expect(toWebSeedReport(null, false)).toBeNull()
    expect(toWebSeedReport({ ...raw, url: 7 }, false)).toBeNull()
    expect(
      toWebSeedReport(
        { ...raw, state: 'exploded', downloaded: -3, error: {}, retryAt: NaN },
        false,
      ),
    ).toMatchObject({ state: 'idle', downloaded: 0, error: null, retryAt: null })
  })
})
