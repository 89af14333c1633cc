/**
 * Patch: bittorrent-protocol's RC4 for MSE/PE (patches/bittorrent-protocol+5.0.9.patch). The wire uses
 * OpenSSL's or BoringSSL's RC4 where the runtime has it (Electron) and its own JS loop elsewhere (Node
 * as Seedling starts it); the JS state is an Int32Array for speed. Both must give MSE's RC4-drop1024
 * keystream, byte for byte, however the data is split into calls, or the two ends of a connection
 * would stop agreeing after the handshake.
 */
import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

type Cipher = (buf: Uint8Array) => Uint8Array

// The package exports only its index; the encryptor module is loaded by its file path.
const mseUrl = pathToFileURL(
  path.join(path.dirname(fileURLToPath(import.meta.resolve('bittorrent-protocol'))), 'mse.js'),
).href
const mse = (await import(/* @vite-ignore */ mseUrl)) as {
  nativeRC4: boolean
  createRC4Cipher(key: Uint8Array): Cipher
}

/** Chunk sizes that cross the 256-byte state period and split bytes unevenly. */
const SPLITS = [1, 7, 255, 256, 257, 16397, 65536]

function applyInChunks(cipher: Cipher, data: Uint8Array, chunk: number): Buffer {
  const out: Uint8Array[] = []
  for (let at = 0; at < data.length; at += chunk) out.push(cipher(data.subarray(at, at + chunk)))
  return Buffer.concat(out)
}

/**
 * In a node with OpenSSL's legacy provider: whether mse.js found native RC4, its output for each
 * split, and OpenSSL's RC4 with the first 1024 bytes of keystream dropped, as MSE specifies.
 */
function nativeRun(key: Buffer, data: Buffer): { native: boolean; splits: string[]; ref: string } {
  const script = `
    import crypto from 'node:crypto'
    const mse = await import(${JSON.stringify(mseUrl)})
    const { readFileSync } = await import('node:fs')
    const { key, data, splits } = JSON.parse(readFileSync(0, 'utf8'))
    const k = Buffer.from(key, 'hex'), d = Buffer.from(data, 'hex')
    const run = (chunk) => {
      const c = mse.createRC4Cipher(k), out = []
      for (let at = 0; at < d.length; at += chunk) out.push(c(d.subarray(at, at + chunk)))
      return Buffer.concat(out).toString('hex')
    }
    const ref = crypto.createCipheriv('rc4', k, '')
    ref.update(Buffer.alloc(1024))
    process.stdout.write(JSON.stringify({
      native: mse.nativeRC4,
      splits: splits.map(run),
      ref: ref.update(d).toString('hex'),
    }))
  `
  const input = JSON.stringify({
    key: key.toString('hex'),
    data: data.toString('hex'),
    splits: SPLITS,
  })
  const r = spawnSync(
    process.execPath,
    ['--openssl-legacy-provider', '--input-type=module', '-e', script],
    { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 30_000 },
  )
  if (r.status !== 0) throw new Error(`native RC4 child failed: ${r.stderr || r.error}`)
  return JSON.parse(r.stdout) as { native: boolean; splits: string[]; ref: string }
}

describe('MSE RC4: native and JS ciphers', () => {
  it('give the same RC4-drop1024 keystream, however the data is split', () => {
    // Without the legacy provider (how vitest runs node) this process has the JS cipher only.
    expect(mse.nativeRC4).toBe(false)
    const key = crypto.randomBytes(20) // MSE keys are SHA-1 digests
    const data = crypto.randomBytes(3 * 65536 + 123)
    const native = nativeRun(key, data)
    expect(native.native).toBe(true)
    for (const [i, chunk] of SPLITS.entries()) {
      const js = applyInChunks(mse.createRC4Cipher(key), data, chunk).toString('hex')
      expect(js, `JS cipher, ${chunk}-byte calls`).toBe(native.ref)
      expect(native.splits[i], `native cipher, ${chunk}-byte calls`).toBe(native.ref)
    }
  })

  it('each cipher keeps its own state: a fresh one starts the keystream again', () => {
    const key = crypto.randomBytes(20)
    const zeros = new Uint8Array(4096)
    const a = mse.createRC4Cipher(key)
    const first = Buffer.from(a(zeros))
    expect(Buffer.from(mse.createRC4Cipher(key)(zeros))).toEqual(first)
    expect(Buffer.from(a(zeros))).not.toEqual(first)
  })
})
