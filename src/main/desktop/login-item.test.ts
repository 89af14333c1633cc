import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { autostartEntry, autostartFile, setLinuxAutostart } from './login-item'

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
