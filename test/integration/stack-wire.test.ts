/**
 * Patch: bittorrent-protocol caps a peer message's length (patches/bittorrent-protocol+5.0.9.patch).
 * A raw TCP peer completes a real handshake with a seeding webtorrent client, then announces an
 * oversized message: the wire must be destroyed at once with a clear error, and the seeder must keep
 * serving honest peers. Everything runs on 127.0.0.1.
 */
import { Buffer } from 'node:buffer'
import { readFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Torrent } from 'webtorrent'
import { listeningPort, seed, StackFixture, waitFor, withTimeout } from './helpers/stack'
import { seededBytes, writeContents } from '../support/test-data'

/** The cap the patch sets: 1 MiB + 13 bytes. */
const MAX_MESSAGE_LENGTH = 1024 * 1024 + 13

const fx = new StackFixture()
afterEach(() => fx.cleanup())

interface RawPeer {
  socket: net.Socket
  closed: Promise<void>
  isClosed: () => boolean
}

/** Connects to 127.0.0.1:port and completes a plaintext BitTorrent handshake for `infoHash`. */
async function rawHandshake(port: number, infoHash: string): Promise<RawPeer> {
  const socket = net.connect({ host: '127.0.0.1', port })
  fx.onCleanup(async () => void socket.destroy())
  let closed = false
  const closedP = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true
      resolve()
    }),
  )
  socket.on('error', () => {})
  await withTimeout(
    new Promise<void>((resolve) => socket.once('connect', () => resolve())),
    5_000,
    'connect',
  )
  let received = Buffer.alloc(0)
  const gotHandshake = new Promise<void>((resolve) => {
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d])
      if (received.length >= 68) resolve()
    })
  })
  socket.write(
    Buffer.concat([
      Buffer.from('\x13BitTorrent protocol', 'latin1'),
      Buffer.alloc(8),
      Buffer.from(infoHash, 'hex'),
      Buffer.from('-XX0000-' + 'r'.repeat(12), 'latin1'),
    ]),
  )
  await withTimeout(gotHandshake, 5_000, 'handshake reply')
  expect(received.subarray(1, 20).toString('latin1')).toBe('BitTorrent protocol')
  expect(received.subarray(28, 48).toString('hex')).toBe(infoHash)
  return { socket, closed: closedP, isClosed: () => closed }
}

function lengthPrefix(length: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(length, 0)
  return b
}

async function seedSmallTorrent(): Promise<{ torrent: Torrent; port: number; data: Uint8Array }> {
  const dir = await fx.tempDir()
  const data = seededBytes(5 * 16384 + 1000, 7)
  await writeContents(dir, { 'payload.bin': data })
  const seeder = fx.client()
  const torrent = await seed(seeder, path.join(dir, 'payload.bin'), {
    path: dir,
    pieceLength: 16384,
  })
  return { torrent, port: await listeningPort(seeder), data }
}

/** Collects the errors of the seeder's wires (webtorrent's Peer also listens and closes the socket). */
function wireErrors(torrent: Torrent): Error[] {
  const errors: Error[] = []
  torrent.on('wire', (wire: NodeJS.EventEmitter) => wire.on('error', (e: Error) => errors.push(e)))
  return errors
}

describe('bittorrent-protocol message length cap', () => {
  it('destroys a wire announcing a 2 GiB message, and keeps serving honest peers', async () => {
    const { torrent, port, data } = await seedSmallTorrent()
    const errors = wireErrors(torrent)

    const raw = await rawHandshake(port, torrent.infoHash)
    await waitFor(() => torrent.wires.length === 1, 5_000, 'seeder wire')
    raw.socket.write(Buffer.concat([lengthPrefix(0x7fffffff), Buffer.alloc(4096, 0xab)]))

    // Unpatched, the wire just keeps buffering towards 2 GiB and the socket stays open.
    await withTimeout(raw.closed, 3_000, 'the seeder to drop the hostile peer')
    expect(errors.map((e) => e.message)).toEqual([
      `Peer message length ${0x7fffffff} exceeds the maximum of ${MAX_MESSAGE_LENGTH} bytes`,
    ])
    await waitFor(() => torrent.wires.length === 0, 3_000, 'wire removal')

    // The seeder is still up and serves an honest peer.
    const dlDir = await fx.tempDir()
    const leecher = fx.client()
    const t = leecher.add(torrent.torrentFile, { path: dlDir })
    t.once('infoHash', () => t.addPeer(`127.0.0.1:${port}`))
    await withTimeout(
      new Promise<void>((resolve) => t.once('done', () => resolve())),
      20_000,
      'download',
    )
    const got = await readFile(path.join(dlDir, 'payload.bin'))
    expect(Buffer.compare(got, Buffer.from(data))).toBe(0)
    expect(torrent.destroyed).toBe(false)
  })

  it('accepts a message of exactly the cap and refuses one byte more', async () => {
    const { torrent, port } = await seedSmallTorrent()
    const errors = wireErrors(torrent)

    const raw = await rawHandshake(port, torrent.infoHash)
    await waitFor(() => torrent.wires.length === 1, 5_000, 'seeder wire')
    // An unknown message (id 99) of the largest allowed length is parsed and ignored...
    const big = Buffer.alloc(MAX_MESSAGE_LENGTH, 0)
    big[0] = 99
    raw.socket.write(Buffer.concat([lengthPrefix(MAX_MESSAGE_LENGTH), big, lengthPrefix(0)]))
    await new Promise((r) => setTimeout(r, 500))
    expect(raw.isClosed()).toBe(false)
    expect(errors).toEqual([])

    // ...one byte more is refused.
    raw.socket.write(lengthPrefix(MAX_MESSAGE_LENGTH + 1))
    await withTimeout(raw.closed, 3_000, 'the seeder to drop the peer')
    expect(errors.map((e) => e.message)).toEqual([
      `Peer message length ${MAX_MESSAGE_LENGTH + 1} exceeds the maximum of ${MAX_MESSAGE_LENGTH} bytes`,
    ])
    expect(torrent.destroyed).toBe(false)
  })
})
