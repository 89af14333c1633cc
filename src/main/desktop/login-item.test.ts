import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { autostartEntry, autostartFile, setLinuxAutostart, setStartOnLogin } from './login-item'

describe('Linux autostart', () => {
  it('lives in XDG_CONFIG_HOME/autostart, else ~/.config/autostart', () => {
    expect(autostartFile({ XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe(
      '/x/autostart/seedling.desktop',
    )
    expect(autostartFile({}, '/home/u')).toBe('/home/u/.config/autostart/seedling.desktop')
  })

  it('quotes the executable path as the desktop entry spec asks', () => {
    expect(autostartEntry('/opt/Seedling/seedling')).toContain('Exec=/opt/Seedling/seedling\n')
    expect(autostartEntry('/home/u/My Apps/Seedling "1".AppImage')).toContain(
      'Exec="/home/u/My Apps/Seedling \\"1\\".AppImage"\n',
    )
  })

  it('writes and removes the entry', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seedling-autostart-'))
    const file = autostartFile({ XDG_CONFIG_HOME: dir }, '/nowhere')
    await setLinuxAutostart(file, '/opt/Seedling/seedling', true)
    expect(await fs.readFile(file, 'utf8')).toMatch(/^\[Desktop Entry\]\nType=Application\n/)
    await setLinuxAutostart(file, '/opt/Seedling/seedling', false)
    await expect(fs.stat(file)).rejects.toThrow()
  })
})

describe('setStartOnLogin', () => {
  const host = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv, calls: unknown[]) => ({
    platform,
    env,
    execPath: '/opt/Seedling/seedling',
    home: '/home/u',
    setLoginItemSettings: (s: { openAtLogin: boolean }) => void calls.push(s),
  })

  it('uses the login item settings on macOS and Windows', async () => {
    const calls: unknown[] = []
    await setStartOnLogin(true, host('darwin', {}, calls))
    await setStartOnLogin(false, host('win32', {}, calls))
    expect(calls).toEqual([{ openAtLogin: true }, { openAtLogin: false }])
  })

  it('writes an autostart entry on Linux that starts the AppImage, not the binary inside it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seedling-login-'))
    const calls: unknown[] = []
    const env = { XDG_CONFIG_HOME: dir, APPIMAGE: '/home/u/Seedling.AppImage' }
    await setStartOnLogin(true, host('linux', env, calls))
    const file = path.join(dir, 'autostart', 'seedling.desktop')
    expect(await fs.readFile(file, 'utf8')).toContain('Exec=/home/u/Seedling.AppImage\n')
    await setStartOnLogin(false, host('linux', env, calls))
    await expect(fs.stat(file)).rejects.toThrow()
    expect(calls).toEqual([])
    await fs.rm(dir, { recursive: true, force: true })
  })
})
