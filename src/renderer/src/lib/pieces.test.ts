import { describe, expect, it } from 'vitest'
import { bytesToBase64 } from './base64'
import {
  buildRuns,
  cellStates,
  countStates,
  DOWNLOADING,
  HAVE,
  layoutCells,
  MISSING,
  PARTIAL,
  pieceStates,
  pieceStatesFromBase64,
} from './pieces'

describe('piece states', () => {
  it('unpacks an MSB-first bitfield and marks in-progress pieces', () => {
    // 10 pieces: bits 1010 0000 | 11 (then padding that must be ignored)
    const have = new Uint8Array([0b1010_0000, 0b1111_1111])
    const states = pieceStates(10, have, [1, 2, 8, 42, -1])
    expect([...states]).toEqual([
      HAVE,
      DOWNLOADING,
      HAVE,
      MISSING,
      MISSING,
      MISSING,
      MISSING,
      MISSING,
      HAVE,
      HAVE,
    ])
    expect(countStates(states)).toEqual({ have: 4, downloading: 1, missing: 5 })
  })

  it('decodes base64 as the API sends it', () => {
    const bytes = new Uint8Array([0xff, 0x00, 0x80])
    const states = pieceStatesFromBase64(17, bytesToBase64(bytes), [9])
    expect(countStates(states)).toEqual({ have: 9, downloading: 1, missing: 7 })
    expect(states[16]).toBe(HAVE)
  })

  it('copes with a short bitfield', () => {
    expect(countStates(pieceStates(20, new Uint8Array([0xff]), []))).toEqual({
      have: 8,
      downloading: 0,
      missing: 12,
    })
  })

  it('counts 200,000 pieces quickly', () => {
    const n = 200_000
    const have = new Uint8Array(Math.ceil(n / 8)).fill(0b1100_1100)
    const t0 = performance.now()
    const states = pieceStates(n, have, [3, 7, 11])
    const counts = countStates(states)
    expect(performance.now() - t0).toBeLessThan(200)
    expect(counts).toEqual({ have: 100_000, downloading: 3, missing: 99_997 })
  })

  it('builds runs of equal states', () => {
    const states = new Uint8Array([
      HAVE,
      HAVE,
      MISSING,
      DOWNLOADING,
      DOWNLOADING,
      DOWNLOADING,
      HAVE,
    ])
    expect(buildRuns(states)).toEqual([
      { start: 0, length: 2, state: HAVE },
      { start: 2, length: 1, state: MISSING },
      { start: 3, length: 3, state: DOWNLOADING },
      { start: 6, length: 1, state: HAVE },
    ])
    expect(buildRuns(new Uint8Array(0))).toEqual([])
  })

  it('lays out cells to fit, grouping pieces when there are more than pixels', () => {
    const small = layoutCells(100, 600, 480)
    expect(small.perCell).toBe(1)
    expect(small.cell).toBe(12)
    expect(small.cols * small.rows).toBeGreaterThanOrEqual(100)
    const big = layoutCells(1_000_000, 600, 480)
    expect(big.cell).toBe(1)
    expect(big.perCell).toBe(4)
    expect(big.rows).toBeLessThanOrEqual(480)
    expect(big.cellCount).toBe(250_000)
  })

  it('groups piece states into cells', () => {
    const s = new Uint8Array([HAVE, HAVE, HAVE, MISSING, MISSING, DOWNLOADING, MISSING, MISSING])
    expect([...cellStates(s, 2)]).toEqual([HAVE, PARTIAL, DOWNLOADING, MISSING])
  })
})
