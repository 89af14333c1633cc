// Property tests of bittorrent-protocol's Wire as patched for Seedling: random and mutated message
// streams, cut into random chunks, never make an exception escape to the socket and never grow
// what the wire holds past its budgets; a listener that throws drops that wire only.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { feed, frame, openWire } from './wire-harness'

const PIECES = 20
const RUNS = Number(process.env['SEEDLING_FUZZ_RUNS'] ?? 300)
const TIME_LIMIT_MS = 4_000
const MAX_MESSAGE_LENGTH = 1024 * 1024 + 13

const u32 = fc.oneof(
  fc.constantFrom(0, 1, PIECES - 1, PIECES, 16_384, 16_385, 0x7fffffff, 0x80000000, 0xffffffff),
  fc.nat({ max: 0xffffffff }),
)
const int32s = (n: number) =>
  fc.array(u32, { minLength: n, maxLength: n }).map((values) => {
    const b = Buffer.alloc(4 * n)
    values.forEach((v, i) => b.writeUInt32BE(v, 4 * i))
    return b
  })

/** One peer message: well-formed ids with extreme numbers, or any id with any payload. */
const message = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 0x0e, 0x0f).map((id) => frame(id, Buffer.alloc(0))),
  fc.constantFrom(4, 0x0d, 0x11).chain((id) => int32s(1).map((p) => frame(id, p))),
  fc.constantFrom(6, 8, 0x10).chain((id) => int32s(3).map((p) => frame(id, p))),
  fc
    .tuple(int32s(2), fc.uint8Array({ maxLength: 64 }))
    .map(([h, b]) => frame(7, Buffer.concat([h, b]))),
  fc.uint8Array({ maxLength: 8 }).map((b) => frame(5, b)),
  fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 64 }))
    .map(([id, b]) => frame(id, b)),
  fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b)),
)

/** A stream of messages, optionally with bytes flipped, cut into chunks as a socket would. */
const stream = fc
  .tuple(
    fc.array(message, { maxLength: 40 }),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 8 }),
  )
  .map(([messages, flips, cuts]) => {
    const all = Buffer.concat(messages)
    for (const [at, value] of flips) if (all.length) all[at % all.length] = value
    const chunks: Buffer[] = []
    for (let at = 0, i = 0; at < all.length; i++) {
      const size = cuts[i % cuts.length]!
      chunks.push(all.subarray(at, at + size))
      at += size
    }
    return chunks
  })

describe('Wire under random and mutated message streams', () => {
  it('lets no exception escape and keeps within its budgets', async () => {
    await fc.assert(
      fc.asyncProperty(stream, async (chunks) => {
        const { wire } = await openWire({ pieces: PIECES })
        for (const chunk of chunks) expect(feed(wire, chunk)).toBeNull()
        await new Promise<void>((resolve) => setImmediate(resolve))
        expect(wire._bufferSize).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH + 4)
        expect(wire.peerRequests.length).toBeLessThanOrEqual(250)
        expect(wire.peerPieces.buffer.length).toBeLessThanOrEqual(Math.ceil(PIECES / 8))
        expect(wire._readableState.buffered).toBeLessThan(600 * 1024)
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    )
  })

  it('drops a wire whose have is past the end, before and after the layout is known', async () => {
    const { wire } = await openWire()
    expect(feed(wire, frame(4, Buffer.from([0, 0, 0, 99])))).toBeNull()
    expect(wire.violation).toBeNull()
    wire.setPieceLayout(PIECES, 32 * 1024, 32 * 1024)
    expect(wire.violation).toMatch(/past the end/)

    const late = await openWire({ pieces: PIECES })
    expect(feed(late.wire, frame(4, Buffer.from([0x7f, 0xff, 0xff, 0xff])))).toBeNull()
    expect(late.wire.violation).toMatch(/out of range/)
  })

  it('a listener that throws drops that wire only', async () => {
    const { wire, errors } = await openWire({ pieces: PIECES })
    wire.on('have', () => {
      throw new Error('listener bug')
    })
    expect(feed(wire, frame(4, Buffer.from([0, 0, 0, 3])))).toBeNull()
    expect(wire.violation).toMatch(/listener bug/)
    await new Promise<void>((resolve) => setImmediate(resolve))
    expect(wire.destroyed).toBe(true)
    expect(errors.map((e) => e.message).join()).toMatch(/listener bug/)
  })

  it('drops a peer asking past its queue that reads nothing, not one that reads', async () => {
    /** `count` requests for 16 KiB blocks of the torrent, in one write. */
    const requests = (count: number): Buffer =>
      Buffer.concat(
        Array.from({ length: count }, (_, n) => {
          const p = Buffer.alloc(12)
          p.writeUInt32BE(n % PIECES, 0)
          p.writeUInt32BE((Math.floor(n / PIECES) % 16) * 16_384, 4)
          p.writeUInt32BE(16_384, 8)
          return frame(6, p)
        }),
      )
    const unchoke = (w: unknown): void => (w as { unchoke(): void }).unchoke()

    // Nobody reads: after a window of blocks nothing more is sent, and 251 refused requests drop it.
    const flood = await openWire({ pieces: PIECES, pieceLength: 256 * 1024 })
    unchoke(flood.wire)
    expect(feed(flood.wire, requests(32 + 250 + 250))).toBeNull()
    expect(flood.wire.violation).toBeNull()
    expect(feed(flood.wire, requests(1))).toBeNull()
    expect(flood.wire.violation).toMatch(/queued requests/)

    // Read as a live socket is: each round overfills the queue by 168, 504 refused in all, but blocks
    // go out between the rounds (aria2c keeps 256 in flight past our reqq of 250).
    const served = await openWire({ pieces: PIECES, pieceLength: 256 * 1024 })
    served.wire.on('data', () => undefined)
    unchoke(served.wire)
    for (let round = 0; round < 3; round++) {
      expect(feed(served.wire, requests(450))).toBeNull()
      for (let turn = 0; turn < 1000 && served.wire.peerRequests.length > 0; turn++) {
        await new Promise((resolve) => setImmediate(resolve))
      }
      expect(served.wire.peerRequests.length).toBe(0)
    }
    expect(served.wire.violation).toBeNull()

    // The store is late, so no block goes out, but the peer reads every refusal and asks again at
    // once (aria2c does): far more than 250 refused, and it stays.
    const asking = await openWire({ pieces: PIECES, pieceLength: 256 * 1024, slowStore: true })
    asking.wire.on('data', () => undefined)
    unchoke(asking.wire)
    for (let round = 0; round < 4; round++) {
      expect(feed(asking.wire, requests(round === 0 ? 250 + 200 : 200))).toBeNull()
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(asking.wire.violation).toBeNull()
  })

  it('queues at most 250 upload requests and hands out at most a window of them unread', async () => {
    const { wire } = await openWire({ pieces: PIECES, pieceLength: 256 * 1024 })
    let handedOut = 0
    wire.on('request', () => void handedOut++)
    // the wire must unchoke the peer before serving; webtorrent does on interest
    ;(wire as unknown as { unchoke(): void }).unchoke()
    const requests: Buffer[] = []
    for (let n = 0; n < 240; n++) {
      const p = Buffer.alloc(12)
      p.writeUInt32BE(n % PIECES, 0)
      p.writeUInt32BE((Math.floor(n / PIECES) % 16) * 16_384, 4)
      p.writeUInt32BE(16_384, 8)
      requests.push(frame(6, p))
    }
    expect(feed(wire, Buffer.concat(requests))).toBeNull()
    // nobody reads the wire: 512 KiB (32 blocks) are read and queued, the rest wait
    expect(handedOut).toBe(32)
    expect(wire.peerRequests.length).toBe(240 - 32)
    expect(wire.violation).toBeNull()
  })
})
