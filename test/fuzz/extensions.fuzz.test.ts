// Property tests of the ut_metadata and ut_pex handlers as patched for Seedling: random and mutated
// messages (and extended handshakes) never throw out of the handler, what they keep stays bounded
// (metadata buffer <= 10 MiB, at most 100 peers a PEX message and 200 a wire), and a peer breaking
// the rules has its wire dropped.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { feed, frame, loadUtMetadata, loadUtPex, openWire } from './wire-harness'

const RUNS = Number(process.env['SEEDLING_FUZZ_RUNS'] ?? 300)
const LIMITS = { numRuns: RUNS, interruptAfterTimeLimit: 4_000, markInterruptAsFailure: false }
const TEN_MIB = 10 * 1024 * 1024

const bint = (n: number) => `i${n}e`
const bstr = (b: Buffer) => Buffer.concat([Buffer.from(`${b.length}:`), b])
const extreme = fc.oneof(
  fc.constantFrom(-1, 0, 1, 5, 16_384, TEN_MIB, TEN_MIB + 1, 2 ** 31 - 1, 2 ** 53),
  fc.integer(),
)

/** A ut_metadata message: dictionary with odd values, plus a trailer, or raw bytes. */
const metadataMessage = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(0, 1, 2, 7),
      extreme,
      fc.option(extreme),
      fc.uint8Array({ maxLength: 17_000 }),
    )
    .map(([type, piece, total, trailer]) =>
      Buffer.concat([
        Buffer.from(
          `d8:msg_type${bint(type)}5:piece${bint(piece)}${total === null ? '' : `10:total_size${bint(total)}`}e`,
        ),
        trailer,
      ]),
    ),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
)

/** An extended handshake announcing ut_metadata with an odd metadata_size (or a mangled one). */
const handshake = fc.oneof(
  extreme.map((size) => `d1:md11:ut_metadatai3ee13:metadata_size${bint(size)}e`),
  fc.constantFrom(
    'd1:md11:ut_metadatai3ee13:metadata_size3:abce',
    'd1:md11:ut_metadatadee13:metadata_sizei100ee',
    'd1:mli1eee',
    'le',
    'd1:md11:ut_metadatai999eee',
  ),
)

describe('ut_metadata under random messages', () => {
  it('never throws, keeps at most 10 MiB, drops the wire for data it cannot place', async () => {
    const utMetadata = await loadUtMetadata()
    await fc.assert(
      fc.asyncProperty(handshake, fc.array(metadataMessage, { maxLength: 6 }), async (hs, msgs) => {
        const { wire } = await openWire({ extensions: [utMetadata()] })
        wire.ut_metadata!.fetch()
        expect(feed(wire, frame(20, Buffer.concat([Buffer.from([0]), Buffer.from(hs)])))).toBeNull()
        for (const m of msgs) {
          if (wire.destroyed || wire.violation) break
          expect(() => wire.ut_metadata!.onMessage(m)).not.toThrow()
        }
        await new Promise<void>((resolve) => setImmediate(resolve))
        expect(wire.ut_metadata!.metadata?.length ?? 0).toBeLessThanOrEqual(TEN_MIB)
      }),
      LIMITS,
    )
  })

  it('drops the wire for data before a size and for a piece out of range', async () => {
    const utMetadata = await loadUtMetadata()
    const data = (piece: number, trailer: Buffer) =>
      Buffer.concat([Buffer.from(`d8:msg_typei1e5:piece${bint(piece)}e`), trailer])

    const before = await openWire({ extensions: [utMetadata()] })
    before.wire.ut_metadata!.fetch()
    expect(() => before.wire.ut_metadata!.onMessage(data(0, Buffer.alloc(16_384)))).not.toThrow()
    expect(before.wire.violation).toMatch(/before any metadata size/)

    const range = await openWire({ extensions: [utMetadata()] })
    range.wire.ut_metadata!.fetch()
    feed(range.wire, frame(20, Buffer.from('\x00d1:md11:ut_metadatai3ee13:metadata_sizei100ee')))
    expect(() =>
      range.wire.ut_metadata!.onMessage(data(1_000_000, Buffer.alloc(100))),
    ).not.toThrow()
    expect(range.wire.violation).toMatch(/out of range/)
  })
})

const compact = (n: number, size: number) =>
  fc.uint8Array({ minLength: n * size, maxLength: n * size })
const pexMessage = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 150 }), fc.boolean())
    .chain(([added, dropped, flags]) =>
      fc.tuple(compact(added, 6), compact(dropped, 6), fc.constant(flags), fc.constant(added)),
    )
    .map(([a, d, flags, n]) =>
      Buffer.concat([
        Buffer.from('d5:added'),
        bstr(Buffer.from(a)),
        ...(flags ? [Buffer.from('7:added.f'), bstr(Buffer.alloc(n, 1))] : []),
        Buffer.from('7:dropped'),
        bstr(Buffer.from(d)),
        Buffer.from('e'),
      ]),
    ),
  fc
    .uint8Array({ maxLength: 40 })
    .map((b) => Buffer.concat([Buffer.from('d5:added'), bstr(Buffer.from(b)), Buffer.from('e')])),
  fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b)),
)

describe('ut_pex under random messages', () => {
  it('never throws, takes at most 100 peers a message, drops malformed or oversized lists', async () => {
    const utPex = await loadUtPex()
    await fc.assert(
      fc.asyncProperty(pexMessage, async (m) => {
        const { wire } = await openWire({ extensions: [utPex()] })
        let peers = 0
        wire.ut_pex!.on('peer', () => void peers++)
        expect(() => wire.ut_pex!.onMessage(m)).not.toThrow()
        expect(peers).toBeLessThanOrEqual(100)
      }),
      LIMITS,
    )
  })

  it('reads one message a minute and drops a peer that sends 6 within one', async () => {
    const utPex = await loadUtPex()
    const { wire } = await openWire({ extensions: [utPex()] })
    let peers = 0
    wire.ut_pex!.on('peer', () => void peers++)
    const one = (last: number) =>
      Buffer.concat([
        Buffer.from('d5:added'),
        bstr(Buffer.from([10, 0, 0, last, 0x1a, 0xe1])),
        Buffer.from('e'),
      ])
    for (let i = 1; i <= 5; i++) wire.ut_pex!.onMessage(one(i))
    expect(peers).toBe(1)
    expect(wire.violation).toBeNull()
    wire.ut_pex!.onMessage(one(6))
    expect(wire.violation).toMatch(/too frequently/)
  })

  it('drops a peer that adds more than 100 peers in one message', async () => {
    const utPex = await loadUtPex()
    const { wire } = await openWire({ extensions: [utPex()] })
    wire.ut_pex!.onMessage(
      Buffer.concat([Buffer.from('d5:added'), bstr(Buffer.alloc(101 * 6, 7)), Buffer.from('e')]),
    )
    expect(wire.violation).toMatch(/101 added peers/)
  })
})
