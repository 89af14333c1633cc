/**
 * Restoring the window where it was, but never off-screen: the saved bounds are clamped to the displays
 * present now (a monitor may have been unplugged or its resolution changed). Pure: no Electron.
 */
export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState extends Rect {
  maximized: boolean
}

export const MIN_WIDTH = 640
export const MIN_HEIGHT = 420
export const DEFAULT_SIZE = { width: 1100, height: 720 }
/** How much of the window must be on a display for it to count as reachable (title bar to grab). */
const MIN_VISIBLE = { width: 120, height: 40 }

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  }
}

function centered(area: Rect, width: number, height: number): Rect {
  const w = Math.min(width, area.width)
  const h = Math.min(height, area.height)
  return {
    x: Math.round(area.x + (area.width - w) / 2),
    y: Math.round(area.y + (area.height - h) / 2),
    width: w,
    height: h,
  }
}

const finiteRect = (r: Rect): boolean =>
  [r.x, r.y, r.width, r.height].every(Number.isFinite) && r.width > 0 && r.height > 0

/**
 * Where to open the window. `workAreas[0]` is the primary display's work area. The result is fully inside
 * one display: the one the saved window overlaps most, or the primary when it is no longer reachable.
 */
export function restoreBounds(saved: Rect | null, workAreas: readonly Rect[]): Rect {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE }
  if (!saved || !finiteRect(saved))
    return centered(primary, DEFAULT_SIZE.width, DEFAULT_SIZE.height)
  const width = Math.max(MIN_WIDTH, Math.round(saved.width))
  const height = Math.max(MIN_HEIGHT, Math.round(saved.height))
  const wanted = { x: Math.round(saved.x), y: Math.round(saved.y), width, height }
  let best: Rect | null = null
  let bestArea = 0
  for (const area of workAreas) {
    const o = overlap(wanted, area)
    if (
      o.width >= MIN_VISIBLE.width &&
      o.height >= MIN_VISIBLE.height &&
      o.width * o.height > bestArea
    ) {
      best = area
      bestArea = o.width * o.height
    }
  }
  if (!best) return centered(primary, width, height)
  const w = Math.min(width, best.width)
  const h = Math.min(height, best.height)
  const x = Math.min(Math.max(wanted.x, best.x), best.x + best.width - w)
  const y = Math.min(Math.max(wanted.y, best.y), best.y + best.height - h)
  return { x, y, width: w, height: h }
}
