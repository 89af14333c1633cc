/**
 * Draws Seedling's icons from one vector description (a white sprout on a coloured shape) and writes them
 * as PNGs: app icons for packaging (build/), the window icon and tray icons used at run time (resources/).
 * No image tools needed: a small rasterizer with supersampling and a PNG encoder over node:zlib.
 *
 *   npx tsx scripts/make-icons.ts        # rewrites build/ and resources/ icons
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32, deflateSync } from 'node:zlib'

export type Rgb = readonly [number, number, number]
export type TrayState = 'idle' | 'downloading' | 'seeding' | 'paused' | 'error'

export const trayColors: Record<TrayState, Rgb> = {
  idle: [96, 125, 139],
  downloading: [30, 136, 229],
  seeding: [46, 125, 50],
  paused: [249, 168, 37],
  error: [229, 57, 53],
}
const APP_GREEN: Rgb = [46, 125, 50]

/** Inside tests in unit coordinates (0..1, y down). */
type Shape = (x: number, y: number) => boolean

function ellipse(cx: number, cy: number, rx: number, ry: number, angleDeg: number): Shape {
  const a = (angleDeg * Math.PI) / 180
  const cos = Math.cos(a)
  const sin = Math.sin(a)
  return (x, y) => {
    const dx = x - cx
    const dy = y - cy
    const u = dx * cos + dy * sin
    const v = -dx * sin + dy * cos
    return (u * u) / (rx * rx) + (v * v) / (ry * ry) <= 1
  }
}

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false
    const cx = Math.min(Math.max(x, x0 + r), x1 - r)
    const cy = Math.min(Math.max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
  }
}

const disc =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y))

/** The sprout: a stem and two leaves. */
const sprout: Shape = union(
  roundedRect(0.465, 0.44, 0.535, 0.8, 0.035),
  ellipse(0.34, 0.43, 0.18, 0.085, 30),
  ellipse(0.65, 0.35, 0.21, 0.095, -35),
)

interface Layer {
  shape: Shape
  color: Rgb
}

/** RGBA pixels of the layers painted in order, each pixel averaged over ss×ss samples. */
export function rasterize(size: number, layers: readonly Layer[], ss = 4): Uint8Array {
  const out = new Uint8Array(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) / size
          const y = (py + (sy + 0.5) / ss) / size
          let color: Rgb | null = null
          for (const layer of layers) if (layer.shape(x, y)) color = layer.color
          if (color) {
            r += color[0]
            g += color[1]
            b += color[2]
            a += 1
          }
        }
      }
      const i = (py * size + px) * 4
      if (a > 0) {
        out[i] = Math.round(r / a)
        out[i + 1] = Math.round(g / a)
        out[i + 2] = Math.round(b / a)
        out[i + 3] = Math.round((255 * a) / (ss * ss))
      }
    }
  }
  return out
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A PNG (8-bit RGBA, no filtering) of `rgba`, `width`×`height`. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 6, 0, 0, 0], 8)
  const raw = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ])
}

const WHITE: Rgb = [255, 255, 255]

export function appIcon(size: number): Buffer {
  const layers = [
    { shape: roundedRect(0.06, 0.06, 0.94, 0.94, 0.2), color: APP_GREEN },
    { shape: sprout, color: WHITE },
  ]
  return encodePng(size, size, rasterize(size, layers))
}

export function trayIcon(size: number, state: TrayState): Buffer {
  const layers = [
    { shape: disc(0.5, 0.5, 0.48), color: trayColors[state] },
    { shape: sprout, color: WHITE },
  ]
  return encodePng(size, size, rasterize(size, layers))
}

export const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512] as const
export const TRAY_STATES: readonly TrayState[] = [
  'idle',
  'downloading',
  'seeding',
  'paused',
  'error',
]

/** Every icon file, relative to the repository root. */
export function iconFiles(): Array<{ file: string; render: () => Buffer }> {
  return [
    // electron-builder: macOS wants ≥512 (1024 best), Windows ≥256; it derives .icns and .ico.
    { file: 'build/icon.png', render: () => appIcon(1024) },
    ...LINUX_SIZES.map((s) => ({ file: `build/icons/${s}x${s}.png`, render: () => appIcon(s) })),
    { file: 'resources/icon.png', render: () => appIcon(256) },
    ...TRAY_STATES.flatMap((state) => [
      { file: `resources/tray-${state}.png`, render: () => trayIcon(16, state) },
      { file: `resources/tray-${state}@2x.png`, render: () => trayIcon(32, state) },
    ]),
  ]
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  for (const { file, render } of iconFiles()) {
    const target = path.join(root, file)
    mkdirSync(path.dirname(target), { recursive: true })
    writeFileSync(target, render())
    console.log(`wrote ${file}`)
  }
}
