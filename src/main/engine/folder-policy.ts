/**
 * Which paths a client of the engine may name, as a pure function of the paths (already resolved to their
 * real location by path-guard.ts) and the machine's layout.
 *
 * - Download folders, everywhere: never inside a protected folder (startup and login items, shell start-up
 *   files, keys, system folders, the state folder), nor a folder that holds one (`~`, `/`, `~/.config`),
 *   since a torrent's own file names (`.bashrc`, `.ssh/authorized_keys`, `autostart/x.desktop`) would then
 *   land in it. The desktop app is held to this too: its renderer shows names and text from torrents, and
 *   nobody needs to download into these.
 * - In `seedling serve` (confined: a token holder is not the local user), every path, including the files
 *   to share and where a .torrent is written, must also be inside one of the roots the command line gave;
 *   protected folders stay refused inside a root.
 */
import path from 'node:path'

export type PathPurpose = 'download' | 'source' | 'output'

export interface ProtectedPath {
  path: string
  /** Also refuse folders that hold it: true for everything but the state folder. */
  ancestorsToo: boolean
}

export interface FolderPolicy {
  platform: NodeJS.Platform
  /** Real paths of the folders a client may use; null when not confined (desktop app, CLI). */
  roots: string[] | null
  protected: ProtectedPath[]
}

export interface Layout {
  platform: NodeJS.Platform
  home: string
  env: NodeJS.ProcessEnv
  stateDir: string
}

const HOME_PROTECTED = [
  // Keys and credentials.
  '.ssh',
  '.gnupg',
  '.aws',
  '.kube',
  '.docker',
  '.netrc',
  '.pki',
  '.password-store',
  '.local/share/keyrings',
  // Programs started at login or with every shell.
  '.config/autostart',
  '.config/systemd',
  '.config/environment.d',
  '.config/fish',
  '.local/share/applications',
  '.local/bin',
  '.bashrc',
  '.bashrc.d',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.profile',
  '.zshrc',
  '.zshenv',
  '.zprofile',
  '.zlogin',
  '.xprofile',
  '.xinitrc',
  '.xsession',
  '.pam_environment',
  'Library/LaunchAgents',
  'Library/Keychains',
]

const POSIX_SYSTEM = [
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/boot',
  '/proc',
  '/sys',
  '/dev',
  '/var/spool/cron',
  '/System',
  '/Library/LaunchAgents',
  '/Library/LaunchDaemons',
  '/private/etc',
]

/** The protected paths of this machine: fixed names under the home folder and the system's own. */
export function protectedPaths(layout: Layout): ProtectedPath[] {
  const p = pathFor(layout.platform)
  const { home, env } = layout
  const list = HOME_PROTECTED.map((rel) => p.join(home, ...rel.split('/')))
  const xdgConfig = env['XDG_CONFIG_HOME']
  if (xdgConfig && p.isAbsolute(xdgConfig)) {
    list.push(p.join(xdgConfig, 'autostart'), p.join(xdgConfig, 'systemd'))
  }
  if (layout.platform === 'win32') {
    const startup = ['Microsoft', 'Windows', 'Start Menu', 'Programs', 'Startup']
    const appData = env['APPDATA'] || p.join(home, 'AppData', 'Roaming')
    const programData = env['ProgramData'] || env['PROGRAMDATA'] || 'C:\\ProgramData'
    const systemRoot = env['SystemRoot'] || env['SYSTEMROOT'] || 'C:\\Windows'
    list.push(p.join(appData, ...startup), p.join(programData, ...startup), systemRoot)
    list.push(p.join(appData, 'gnupg'))
    for (const key of ['ProgramFiles', 'ProgramFiles(x86)', 'ProgramW6432']) {
      const dir = env[key]
      if (dir && p.isAbsolute(dir)) list.push(dir)
    }
  } else {
    list.push(...POSIX_SYSTEM)
  }
  return [
    ...list.map((path) => ({ path, ancestorsToo: true })),
    { path: layout.stateDir, ancestorsToo: false },
  ]
}

function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix
}

/** Whether `child` is `parent` or inside it; case-insensitive where the file systems usually are. */
export function isInside(child: string, parent: string, platform: NodeJS.Platform): boolean {
  const p = pathFor(platform)
  const fold = platform === 'win32' || platform === 'darwin'
  const a = p.resolve(fold ? child.toLowerCase() : child)
  const b = p.resolve(fold ? parent.toLowerCase() : parent)
  const rel = p.relative(b, a)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${p.sep}`) && !p.isAbsolute(rel))
}

const WHAT: Record<PathPurpose, string> = {
  download: 'download into',
  source: 'share files from',
  output: 'write a .torrent into',
}

/**
 * Why `shown` may not be used for `purpose`, or null when it may. `paths` are every form of it to judge
 * (as given and its real path); each must pass. For `output`, they are the folder the file goes in.
 */
export function refusal(
  policy: FolderPolicy,
  purpose: PathPurpose,
  shown: string,
  paths: string[],
): string | null {
  const { platform, roots } = policy
  if (roots && !paths.every((c) => roots.some((root) => isInside(c, root, platform)))) {
    return (
      `${shown} is outside the folders this server may use (${roots.join(', ')}); ` +
      'whoever runs seedling serve can allow more with --allow-root DIR'
    )
  }
  if (purpose !== 'download' && !roots) return null
  for (const guarded of policy.protected) {
    for (const candidate of paths) {
      if (isInside(candidate, guarded.path, platform)) {
        return `Seedling does not ${WHAT[purpose]} ${shown}: ${guarded.path} is a protected folder`
      }
      // A .torrent written into a folder cannot become one of the files inside it; data can.
      const holds = guarded.ancestorsToo && purpose !== 'output'
      if (holds && isInside(guarded.path, candidate, platform)) {
        return (
          `Seedling does not ${WHAT[purpose]} ${shown}: it holds the protected ${guarded.path} ` +
          '(choose a folder of its own)'
        )
      }
    }
  }
  return null
}
