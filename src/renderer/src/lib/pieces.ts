import { base64ToBytes } from './base64'

/** Per-piece (or per-cell) state codes; PARTIAL only appears when one cell stands for many pieces. */
export const MISSING = 0
export const DOWNLOADING = 1
export const HAVE = 2
export const PARTIAL = 3
export type PieceState = typeof MISSING | typeof DOWNLOADING | typeof HAVE | typeof PARTIAL

export interface PieceCounts {
  have: number
  downloading: number
  missing: number
}

export interface PieceRun {
  start: number
  length: number
  state: number
}

/**
 * One state byte per piece from the packed bitfield (MSB first, as on the wire) and the in-progress list.
 * A verified piece counts as had even if it is also listed in progress; bits past pieceCount are ignored.
 */
export function pieceStates(
  pieceCount: number,
  have: Uint8Array,
  inProgress: readonly number[],
): Uint8Array {
  const states = new Uint8Array(pieceCount)
  const full = Math.min(pieceCount >> 3, have.length)
  for (let byte = 0; byte < full; byte++) {
    const b = have[byte]!
    if (b === 0) continue
    const base = byte << 3
    if (b === 0xff) {
      states.fill(HAVE, base, base + 8)
      continue
    }
    for (let bit = 0; bit < 8; bit++) if (b & (0x80 >> bit)) states[base + bit] = HAVE
  }
  for (let i = full << 3; i < pieceCount; i++) {
    const b = have[i >> 3]
    if (b !== undefined && b & (0x80 >> (i & 7))) states[i] = HAVE
  }
  for (const i of inProgress) {
    if (Number.isInteger(i) && i >= 0 && i < pieceCount && states[i] !== HAVE)
      states[i] = DOWNLOADING
  }
  return states
}

export function pieceStatesFromBase64(
  pieceCount: number,
  haveB64: string,
  inProgress: readonly number[],
): Uint8Array {
  return pieceStates(pieceCount, base64ToBytes(haveB64), inProgress)
}

export function countStates(states: Uint8Array): PieceCounts {
  let have = 0
  let downloading = 0
  for (let i = 0; i < states.length; i++) {
    const s = states[i]
    if (s === HAVE) have++
    else if (s === DOWNLOADING) downloading++
  }
  return { have, downloading, missing: states.length - have - downloading }
}

/** Consecutive equal states as runs, so a drawer can paint one rectangle per run. */
export function buildRuns(states: Uint8Array): PieceRun[] {
  const runs: PieceRun[] = []
  let start = 0
  for (let i = 1; i <= states.length; i++) {
    if (i === states.length || states[i] !== states[start]) {
      runs.push({ start, length: i - start, state: states[start]! })
      start = i
    }
  }
  return runs
}

export interface CellLayout {
  /** Side of one square cell in CSS pixels. */
  cell: number
  cols: number
  rows: number
  /** Pieces each cell stands for (1 unless there are more pieces than fit). */
  perCell: number
  cellCount: number
}

/** Fits pieceCount cells into width × at most maxHeight, shrinking cells and then grouping pieces. */
export function layoutCells(
  pieceCount: number,
  width: number,
  maxHeight: number,
  maxCell = 12,
): CellLayout {
  const w = Math.max(1, Math.floor(width))
  const h = Math.max(1, Math.floor(maxHeight))
  if (pieceCount <= 0) return { cell: maxCell, cols: 1, rows: 0, perCell: 1, cellCount: 0 }
  let cell = Math.min(maxCell, Math.max(1, Math.floor(Math.sqrt((w * h) / pieceCount))))
  while (cell > 1 && Math.floor(w / cell) * Math.floor(h / cell) < pieceCount) cell--
  const cols = Math.max(1, Math.floor(w / cell))
  const capacity = cols * Math.max(1, Math.floor(h / cell))
  const perCell = Math.max(1, Math.ceil(pieceCount / capacity))
  const cellCount = Math.ceil(pieceCount / perCell)
  return { cell, cols, rows: Math.ceil(cellCount / cols), perCell, cellCount }
}

/** Groups piece states into cells: all had → HAVE, any in progress → DOWNLOADING, some had → PARTIAL. */
export function cellStates(states: Uint8Array, perCell: number): Uint8Array {
  if (perCell <= 1) return states
  const cells = new Uint8Array(Math.ceil(states.length / perCell))
  for (let c = 0; c < cells.length; c++) {
    const from = c * perCell
    const to = Math.min(states.length, from + perCell)
    let have = 0
    let downloading = false
    for (let i = from; i < to; i++) {
      if (states[i] === HAVE) have++
      else if (states[i] === DOWNLOADING) downloading = true
    }
    cells[c] = downloading ? DOWNLOADING : have === to - from ? HAVE : have > 0 ? PARTIAL : MISSING
  }
  return cells
}
