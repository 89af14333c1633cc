/**
 * The Linux metadata electron-builder generates from electron-builder.yml, produced by electron-builder's own
 * code (app-builder-lib): the `.desktop` entry of the deb (LinuxTargetHelper.computeDesktopEntry, as
 * FpmTarget writes it) and of the AppImage (AppImageTarget's desktopEntry), and the shared-mime-info XML
 * of each (LinuxTargetHelper.computeMimeTypeFiles for the deb, appLauncher.copyMimeTypes for the
 * AppImage). Those functions read only config, package.json and a few packager fields, so a stand-in
 * packager is enough: no Electron binary, no fpm or appimagetool, no network. What is not run here is
 * the packaging itself (see docs/packaging.md).
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = path.resolve(__dirname, '../../..')
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'))
const metadata = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))

interface DesktopTarget {
  options: Record<string, unknown>
}
interface LinuxTargetHelper {
  computeDesktopEntry(options: Record<string, unknown>, exec?: string): Promise<string>
  readonly mimeTypeFiles: Promise<string | null>
  getDesktopFileName(): string
}
type TargetClass = new (
  name: string,
  packager: unknown,
  helper: LinuxTargetHelper,
  outDir: string,
) => DesktopTarget

let tmp = ''
let helper: LinuxTargetHelper
let deb: DesktopTarget & { scriptFiles: Promise<{ afterInstall: string }> }
let appImage: DesktopTarget & { desktopEntry: { value: Promise<string> } }
let executableName = ''
let copyMimeTypes: (
  stageDir: string,
  options: { fileAssociations: unknown[]; productName: string; executableName: string },
) => Promise<string | null>
let fileAssociations: unknown[] = []
let productName = ''

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'seedling-linux-metadata-'))
  // Deep imports of electron-builder's library: the same modules `electron-builder --linux` runs.
  const { AppInfo } = (await import('app-builder-lib/out/appInfo.js')) as {
    AppInfo: new (
      info: unknown,
      buildVersion?: string,
      platformOptions?: unknown,
    ) => {
      productName: string
      sanitizedName: string
    }
  }
  const helperModule = (await import('app-builder-lib/out/targets/LinuxTargetHelper.js')) as {
    LinuxTargetHelper: new (packager: unknown) => LinuxTargetHelper
  }
  // `unknown` first: the library's types want a full LinuxPackager, and the stand-in is not one.
  const { default: FpmTarget } =
    (await import('app-builder-lib/out/targets/FpmTarget.js')) as unknown as {
      default: TargetClass
    }
  const { default: AppImageTarget } =
    (await import('app-builder-lib/out/targets/appimage/AppImageTarget.js')) as unknown as {
      default: TargetClass
    }
  ;({ copyMimeTypes } = (await import('app-builder-lib/out/targets/appimage/appLauncher.js')) as {
    copyMimeTypes: typeof copyMimeTypes
  })

  // The fields of Packager and LinuxPackager these code paths read, computed as those classes compute them.
  let n = 0
  const tempFile = (suffix: string) => Promise.resolve(path.join(tmp, `${n++}${suffix}`))
  // FpmTarget's constructor also renders the deb's maintainer scripts through info.tempDirManager.
  const tempDirManager = { getTempFile: ({ suffix }: { suffix: string }) => tempFile(suffix) }
  const info = { config, metadata, devMetadata: metadata, tempDirManager }
  const linux = config.linux ?? {}
  const appInfo = new AppInfo(info, undefined, linux)
  executableName = String(linux.executableName ?? appInfo.sanitizedName).toLowerCase()
  productName = appInfo.productName
  fileAssociations = [config.fileAssociations ?? [], linux.fileAssociations ?? []].flat()
  const packager = {
    config,
    info,
    appInfo,
    executableName,
    platformSpecificBuildOptions: linux,
    fileAssociations,
    projectDir: root,
    getTempFile: tempFile,
  }
  // One packager and helper for both targets, as in `electron-builder --linux`: the library appends to
  // linux.mimeTypes in place, so a config that sets it shows repeated MIME types here, as it would there.
  helper = new helperModule.LinuxTargetHelper(packager)
  deb = new FpmTarget('deb', packager, helper, tmp) as typeof deb
  appImage = new AppImageTarget('appImage', packager, helper, tmp) as typeof appImage
})

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

/** `[Desktop Entry]` keys and values; fails on a repeated key, which desktop-file-validate rejects. */
function entryOf(text: string): Record<string, string> {
  const lines = text.split('\n').filter((l) => l !== '')
  expect(lines[0]).toBe('[Desktop Entry]')
  const entry: Record<string, string> = {}
  for (const line of lines.slice(1)) {
    if (line.startsWith('[')) break
    const eq = line.indexOf('=')
    const key = line.slice(0, eq)
    expect(entry, `${key} repeated`).not.toHaveProperty(key)
    entry[key] = line.slice(eq + 1)
  }
  return entry
}

/** A `;`-list value: ends with `;`, no empty or repeated items. */
function listOf(value: string | undefined): string[] {
  expect(value?.endsWith(';'), String(value)).toBe(true)
  const items = String(value).slice(0, -1).split(';')
  expect(items).not.toContain('')
  expect(new Set(items).size, `repeated item in ${value}`).toBe(items.length)
  return items
}

function expectCommon(entry: Record<string, string>): void {
  expect(entry.Type).toBe('Application')
  expect(entry.Name).toBe('Seedling')
  expect(entry.GenericName).toBe('BitTorrent Client')
  expect(entry.Terminal).toBe('false')
  // Icon names the hicolor icons the deb installs as <executableName>.png.
  expect(entry.Icon).toBe(executableName)
  expect(entry.StartupWMClass).toBe(metadata.desktopName.replace(/\.desktop$/, ''))
  expect(entry.Comment).toBeTruthy()
  expect(listOf(entry.MimeType).sort()).toEqual(
    ['application/x-bittorrent', 'x-scheme-handler/magnet'].sort(),
  )
  expect(listOf(entry.Categories)).toEqual(['Network', 'P2P', 'FileTransfer'])
}

describe('Linux metadata generated by electron-builder', () => {
  it('deb: .desktop entry in /usr/share/applications, launching /opt/Seedling/<exe> with %U', async () => {
    expect(helper.getDesktopFileName()).toBe('seedling')
    const text = await helper.computeDesktopEntry(deb.options)
    const entry = entryOf(text)
    expectCommon(entry)
    expect(entry.Exec).toBe(`/opt/Seedling/${executableName} %U`)
  })

  it('AppImage: .desktop entry launching AppRun with %U', async () => {
    const entry = entryOf(await appImage.desktopEntry.value)
    expectCommon(entry)
    expect(entry.Exec).toMatch(/^AppRun( .*)? %U$/)
    expect(entry['X-AppImage-Version']).toBe(metadata.version)
  })

  it('deb: shared-mime-info XML maps *.torrent to application/x-bittorrent', async () => {
    const file = await helper.mimeTypeFiles
    expect(file).not.toBeNull()
    const xml = readFileSync(String(file), 'utf8')
    expect(xml).toContain(
      '<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">',
    )
    expect(xml).toContain('<mime-type type="application/x-bittorrent">')
    expect(xml).toContain('<glob pattern="*.torrent"/>')
    expect(xml.match(/<mime-type /g)).toHaveLength(1)
  })

  it('deb: the post-install script refreshes the MIME and desktop databases', async () => {
    const script = readFileSync((await deb.scriptFiles).afterInstall, 'utf8')
    expect(script).toContain('update-mime-database /usr/share/mime')
    expect(script).toContain('update-desktop-database /usr/share/applications')
  })

  it('AppImage: the same MIME type in usr/share/mime/packages/<exe>.xml', async () => {
    const stage = path.join(tmp, 'appimage-stage')
    const rel = await copyMimeTypes(stage, { fileAssociations, productName, executableName })
    expect(rel).toBe(`usr/share/mime/packages/${executableName}.xml`)
    const xml = readFileSync(path.join(stage, String(rel)), 'utf8')
    expect(xml).toContain('<mime-type type="application/x-bittorrent">')
    expect(xml).toContain('<glob pattern="*.torrent"/>')
    expect(xml.match(/<mime-type /g)).toHaveLength(1)
  })

  // shared-mime-info's own tool, when the container has it, reads both files as a desktop would. It exits 0
  // even on a parse error, so what counts is the glob it compiles.
  const updateMimeDatabase = '/usr/bin/update-mime-database'
  it.skipIf(!existsSync(updateMimeDatabase))(
    'update-mime-database compiles both XML files',
    async () => {
      const debXml = String(await helper.mimeTypeFiles)
      const appImageXml = path.join(
        tmp,
        'appimage-stage',
        `usr/share/mime/packages/${executableName}.xml`,
      )
      expect(existsSync(appImageXml), 'run after the AppImage XML test').toBe(true)
      for (const xml of [debXml, appImageXml]) {
        const db = mkdtempSync(path.join(tmp, 'mime-'))
        mkdirSync(path.join(db, 'packages'))
        copyFileSync(xml, path.join(db, 'packages', `${executableName}.xml`))
        const run = spawnSync(updateMimeDatabase, [db], { encoding: 'utf8' })
        expect(run.stderr).not.toMatch(/Failed to parse|error/i)
        expect(readFileSync(path.join(db, 'globs2'), 'utf8')).toMatch(
          /^\d+:application\/x-bittorrent:\*\.torrent$/m,
        )
      }
    },
  )
})
