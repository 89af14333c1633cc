import { describe, expect, it } from 'vitest'
import { SeedlingError, seedlingErrorCodes } from './api'
import { errorCodeOf, fromReply, fromWireError, isReply, toReply, toWireError } from './wire'

/** What a transport does to an envelope: JSON (WebSocket) or a structured clone (IPC, the host). */
const viaJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

describe('the reply envelope', () => {
  it('carries a value', async () => {
    const reply = await toReply(async () => ({ n: 1 }))
    expect(reply).toEqual({ ok: true, value: { n: 1 } })
    expect(fromReply(viaJson(reply))).toEqual({ n: 1 })
  })

  it.each(seedlingErrorCodes)('round-trips a SeedlingError with code %s', async (code) => {
    const reply = await toReply(() => Promise.reject(new SeedlingError(`failed: ${code}`, code)))
    expect(reply).toEqual({ ok: false, error: { message: `failed: ${code}`, code } })
    for (const copy of [viaJson(reply), structuredClone(reply)]) {
      const err = (() => {
        try {
          fromReply(copy)
        } catch (e) {
          return e
        }
      })()
      expect(err).toBeInstanceOf(SeedlingError)
      expect(err).toMatchObject({ message: `failed: ${code}`, code })
    }
  })

  it('labels any other error internal, first line only, bounded', async () => {
    expect(await toReply(() => Promise.reject(new Error('disk exploded\n    at x.ts:1')))).toEqual({
      ok: false,
      error: { message: 'internal error: disk exploded', code: 'internal' },
    })
    expect(toWireError('a string')).toEqual({
      message: 'internal error: a string',
      code: 'internal',
    })
    expect(toWireError(new TypeError('x'.repeat(10_000))).message).toHaveLength(
      'internal error: '.length + 500,
    )
  })

  it('answers a synchronous throw too, and never rejects', async () => {
    const reply = await toReply(() => {
      throw new SeedlingError('no such torrent', 'not-found')
    })
    expect(reply).toEqual({ ok: false, error: { message: 'no such torrent', code: 'not-found' } })
  })

  it('reads a code it does not know as internal', () => {
    expect(fromWireError({ message: 'from the future', code: 'quota' })).toMatchObject({
      message: 'from the future',
      code: 'internal',
    })
    expect(fromWireError({ message: 'no code' }).code).toBe('internal')
  })

  it('recognizes envelopes and nothing else', () => {
    expect(isReply({ ok: true, value: 1 })).toBe(true)
    expect(isReply({ ok: true })).toBe(true)
    expect(isReply({ ok: false, error: { message: 'm', code: 'invalid' } })).toBe(true)
    expect(isReply({ ok: false, error: 'just a string' })).toBe(false)
    expect(isReply({ ok: 'yes' })).toBe(false)
    expect(isReply(null)).toBe(false)
    expect(isReply('ok')).toBe(false)
  })

  it('reads the code of any error, internal when it has none it knows', () => {
    expect(errorCodeOf(new SeedlingError('x', 'duplicate'))).toBe('duplicate')
    expect(errorCodeOf(Object.assign(new Error('x'), { code: 'not-found' }))).toBe('not-found')
    expect(errorCodeOf(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe('internal')
    expect(errorCodeOf(new Error('x'))).toBe('internal')
    expect(errorCodeOf(undefined)).toBe('internal')
  })
})
