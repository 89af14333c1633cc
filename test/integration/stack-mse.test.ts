/**
 * Patch: bittorrent-protocol's MSE/PE handshake shares one Diffie-Hellman object across connections
 * (patches/bittorrent-protocol+5.0.9.patch). Creating one per connection re-checked the 768-bit prime
 * each time, ~17 ms of blocked event loop per encrypted connection, so a burst of attempts froze the
 * engine. Sharing it must keep every connection's key its own and both ends agreeing on the secret.
 */
import crypto from 'node:crypto'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'

/** The part of bittorrent-protocol's (untyped, unexported) mse.js this test drives. */
interface Encryptor {
  S: Uint8Array | null
  generateStepA1(): Uint8Array
  handleStepA2(step2: Uint8Array): void
  handleStepB1(step1: Uint8Array): void
  generateStepB2(): Uint8Array
}
type EncryptorCtor = new (skeyHex: string) => Encryptor

// The package exports only its index; the encryptor module is loaded by its file path.
const msePath = path.join(
  path.dirname(fileURLToPath(import.meta.resolve('bittorrent-protocol'))),
  'mse.js',
)
const { MessageStreamEncryptor } = (await import(
  /* @vite-ignore */ pathToFileURL(msePath).href
)) as { MessageStreamEncryptor: EncryptorCtor }

const INFO_HASH = 'aa'.repeat(20)

afterEach(() => {
  vi.restoreAllMocks()
})

describe('MSE/PE Diffie-Hellman', () => {
  it('checks the prime once, not per connection', () => {
    const create = vi.spyOn(crypto, 'createDiffieHellman')
    for (let i = 0; i < 20; i++) new MessageStreamEncryptor(INFO_HASH).generateStepA1()
    // At most once: an earlier test in this worker may already have made the shared object.
    expect(create.mock.calls.length).toBeLessThanOrEqual(1)
  })

  it('gives each connection its own key, and both ends the same secret', () => {
    const pairs = Array.from({ length: 4 }, () => ({
      a: new MessageStreamEncryptor(INFO_HASH),
      b: new MessageStreamEncryptor(INFO_HASH),
    }))
    const publicKeys = new Set<string>()
    // Interleaved on purpose: A1 of every pair first, then every B2, then every A2.
    const step1 = pairs.map(({ a }) => a.generateStepA1())
    const step2 = pairs.map(({ b }, i) => {
      b.handleStepB1(step1[i]!)
      return b.generateStepB2()
    })
    pairs.forEach(({ a }, i) => a.handleStepA2(step2[i]!))
    for (const [i, { a, b }] of pairs.entries()) {
      publicKeys.add(Buffer.from(step1[i]!.subarray(0, 96)).toString('hex'))
      publicKeys.add(Buffer.from(step2[i]!.subarray(0, 96)).toString('hex'))
      expect(Buffer.from(a.S!).equals(Buffer.from(b.S!))).toBe(true)
    }
    expect(publicKeys.size).toBe(8)
    expect(new Set(pairs.map(({ a }) => Buffer.from(a.S!).toString('hex'))).size).toBe(4)
  })
})
