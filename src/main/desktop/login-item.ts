/**
 * Start on login. macOS and Windows have `app.setLoginItemSettings`; Linux has none, so there it is an XDG
 * autostart entry (~/.config/autostart/seedling.desktop). No Electron here, so it is unit-tested.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'

export function autostartFile(env: NodeJS.ProcessEnv, home: string): string {
  const config = env['XDG_CONFIG_HOME'] || path.join(home, '.config')
  return path.join(config, 'autostart', 'seedling.desktop')
}

/** Quotes an Exec argument per the desktop entry spec. */
function quoteExec(arg: string): string {
  if (/^[A-Za-z0-9_./+-]+$/.test(arg)) return arg
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`
}

export function autostartEntry(exec: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Seedling',
    `Exec=${quoteExec(exec)}`,
    'Icon=seedling',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

export async function setLinuxAutostart(
  file: string,
  exec: string,
  enabled: boolean,
): Promise<void> {
  if (!enabled) return fs.rm(file, { force: true })
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, autostartEntry(exec), { mode: 0o644 })
}

/** What setStartOnLogin needs of the app and the process. */
export interface LoginItemHost {
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
  execPath: string
  home: string
  setLoginItemSettings(settings: { openAtLogin: boolean }): void
}

export async function setStartOnLogin(enabled: boolean, host: LoginItemHost): Promise<void> {
  if (host.platform !== 'linux') return host.setLoginItemSettings({ openAtLogin: enabled })
  // An AppImage must be started through its own path, not the mounted binary inside it.
  const exec = host.env['APPIMAGE'] ?? host.execPath
  await setLinuxAutostart(autostartFile(host.env, host.home), exec, enabled)
}
