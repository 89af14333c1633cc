import { describe, expect, it } from 'vitest'
import { DEFAULT_SIZE, MIN_HEIGHT, MIN_WIDTH, restoreBounds } from './window-bounds'

const primary = { x: 0, y: 0, width: 1920, height: 1040 }
const right = { x: 1920, y: 0, width: 1280, height: 1024 }

describe('restoreBounds', () => {
  it('centres the default size on the primary display when nothing was saved', () => {
    expect(restoreBounds(null, [primary])).toEqual({
      x: (1920 - DEFAULT_SIZE.width) / 2,
      y: (1040 - DEFAULT_SIZE.height) / 2,
      ...DEFAULT_SIZE,
    })
  })

  it('keeps saved bounds that are fully visible', () => {
    const saved = { x: 2000, y: 100, width: 900, height: 700 }
    expect(restoreBounds(saved, [primary, right])).toEqual(saved)
  })

  it('moves a window from an unplugged monitor back to the primary display', () => {
    const saved = { x: 2000, y: 100, width: 900, height: 700 }
    expect(restoreBounds(saved, [primary])).toEqual({ x: 510, y: 170, width: 900, height: 700 })
  })

  it('pulls a partly off-screen window inside the display it mostly covers', () => {
    expect(restoreBounds({ x: 1500, y: -50, width: 800, height: 600 }, [primary, right])).toEqual({
      x: 1120,
      y: 0,
      width: 800,
      height: 600,
    })
  })

  it('shrinks a window larger than its display and enforces the minimum size', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 4000, height: 3000 }, [primary])).toEqual(primary)
    expect(restoreBounds({ x: 10, y: 10, width: 10, height: 10 }, [primary])).toEqual({
      x: 10,
      y: 10,
      width: MIN_WIDTH,
      height: MIN_HEIGHT,
    })
  })

  it('treats a sliver (no title bar to grab) as not visible', () => {
    const saved = { x: 1900, y: 100, width: 800, height: 600 } // 20 px on the primary only
    expect(restoreBounds(saved, [primary])).toEqual({ x: 560, y: 220, width: 800, height: 600 })
  })

  it('ignores garbage', () => {
    expect(restoreBounds({ x: NaN, y: 0, width: 800, height: 600 }, [primary]).width).toBe(
      DEFAULT_SIZE.width,
    )
    expect(restoreBounds(null, [])).toEqual({ x: 0, y: 0, ...DEFAULT_SIZE })
  })
})
