/**
 * What can be checked of packaging without packaging: electron-builder.yml says what we require (ids, file
 * and protocol associations, Linux desktop entry, asar, fuses), passes electron-builder's own schema, and
 * every icon it references exists with the right size. The icons are what scripts/make-icons.ts draws.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { iconFiles, LINUX_SIZES, TRAY_STATES } from '../../../scripts/make-icons'
import { trayIconStates } from './tray-model'

const root = path.resolve(__dirname, '../../..')
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'))
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))

/** Width and height from a PNG's IHDR; throws when the file is not a PNG. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file)
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  if (!b.subarray(0, 8).equals(sig) || b.toString('latin1', 12, 16) !== 'IHDR')
    throw new Error(`${file} is not a PNG`)
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) }
}

describe('electron-builder.yml', () => {
  it('names the app', () => {
    expect(config.appId).toBe('app.seedling.desktop')
    expect(config.productName).toBe('Seedling')
    expect(pkg.productName).toBe('Seedling')
  })

  it('opens .torrent files and magnet links', () => {
    expect(config.fileAssociations).toEqual([
      expect.objectContaining({ ext: 'torrent', mimeType: 'application/x-bittorrent' }),
    ])
    expect(config.protocols).toEqual([expect.objectContaining({ schemes: ['magnet'] })])
  })

  it('Linux: AppImage and deb; MIME types come from the associations, not repeated by hand', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']))
    expect(config.linux.category).toBe('Network;P2P;FileTransfer')
    // electron-builder overwrites these (and appends to linux.mimeTypes); linux-metadata.test.ts checks
    // the generated entry.
    expect(config.linux.mimeTypes).toBeUndefined()
    expect(config.linux.desktop.entry).not.toHaveProperty('MimeType')
    expect(config.linux.desktop.entry).not.toHaveProperty('Categories')
  })

  it('Windows nsis and macOS dmg', () => {
    expect(config.win.target).toContain('nsis')
    expect(config.mac.target).toContain('dmg')
  })

  it('ships the built app in an asar, without sources or tests', () => {
    expect(config.asar).toBe(true)
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'package.json', 'resources/**']))
    for (const excluded of ['!src/**', '!test/**', '!**/*.test.*'])
      expect(config.files).toContain(excluded)
    expect(pkg.main).toBe('./out/main/index.js')
  })

  it('flips the production fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })
  })

  it("passes electron-builder's own configuration schema", async () => {
    // app-builder-lib is electron-builder's own package; its validator is what `electron-builder` runs.
    const { validateConfiguration } =
      (await import('app-builder-lib/out/util/config/config.js')) as {
        validateConfiguration(c: unknown, log: unknown): Promise<void>
      }
    const log = { isEnabled: false, add: () => undefined }
    await expect(validateConfiguration(structuredClone(config), log)).resolves.toBeUndefined()
    await expect(
      validateConfiguration({ ...structuredClone(config), linux: { bogus: 1 } }, log),
    ).rejects.toThrow(/configuration\.linux/)
  })
})

describe('icons', () => {
  it('app icons exist where the config points, at sizes electron-builder accepts', () => {
    const mac = pngSize(path.join(root, config.mac.icon))
    expect(mac).toEqual({ width: 1024, height: 1024 })
    expect(pngSize(path.join(root, config.win.icon)).width).toBeGreaterThanOrEqual(256)
    for (const s of LINUX_SIZES) {
      expect(pngSize(path.join(root, config.linux.icon, `${s}x${s}.png`))).toEqual({
        width: s,
        height: s,
      })
    }
  })

  it('runtime icons: window icon and a 1x/2x tray icon per state', () => {
    expect(pngSize(path.join(root, 'resources/icon.png'))).toEqual({ width: 256, height: 256 })
    expect([...TRAY_STATES]).toEqual([...trayIconStates])
    for (const state of trayIconStates) {
      expect(pngSize(path.join(root, `resources/tray-${state}.png`))).toEqual({
        width: 16,
        height: 16,
      })
      expect(pngSize(path.join(root, `resources/tray-${state}@2x.png`))).toEqual({
        width: 32,
        height: 32,
      })
    }
  })

  it('the committed icons are what scripts/make-icons.ts draws (small ones re-rendered)', () => {
    for (const { file, render } of iconFiles()) {
      expect(existsSync(path.join(root, file)), file).toBe(true)
      if (pngSize(path.join(root, file)).width > 64) continue
      expect(readFileSync(path.join(root, file)).equals(render()), file).toBe(true)
    }
  })
})
