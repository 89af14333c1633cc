import { describe, expect, it } from 'vitest'
import type { FolderPolicy, Layout } from './folder-policy'
import { isInside, protectedPaths, refusal } from './folder-policy'

const linux: Layout = {
  platform: 'linux',
  home: '/home/u',
  env: {},
  stateDir: '/home/u/.local/share/seedling',
}

function policy(roots: string[] | null, layout: Layout = linux): FolderPolicy {
  return { platform: layout.platform, roots, protected: protectedPaths(layout) }
}

const desktop = policy(null)
const served = policy(['/home/u/Downloads', '/srv/media'])

describe('isInside', () => {
  it('compares whole segments, case-folded only where file systems usually are', () => {
    expect(isInside('/a/b', '/a', 'linux')).toBe(true)
    expect(isInside('/a', '/a', 'linux')).toBe(true)
    expect(isInside('/ab', '/a', 'linux')).toBe(false)
    expect(isInside('/a/..b/c', '/a', 'linux')).toBe(true)
    expect(isInside('/', '/a', 'linux')).toBe(false)
    expect(isInside('/A/b', '/a', 'linux')).toBe(false)
    expect(
      isInside('/Users/U/library/launchagents', '/Users/U/Library/LaunchAgents', 'darwin'),
    ).toBe(true)
    expect(isInside('c:\\users\\u\\x', 'C:\\Users\\U', 'win32')).toBe(true)
    expect(isInside('D:\\x', 'C:\\', 'win32')).toBe(false)
  })
})

describe('download folders, in every mode', () => {
  it('may be any ordinary folder when not confined', () => {
    for (const dir of ['/home/u/Downloads', '/home/u/Videos/new', '/mnt/disk', '/tmp/x']) {
      expect(refusal(desktop, 'download', dir, [dir]), dir).toBeNull()
    }
  })

  it('are never inside autostart, keys, shell start-up or system folders, or the state folder', () => {
    for (const dir of [
      '/home/u/.config/autostart',
      '/home/u/.config/autostart/sub',
      '/home/u/.ssh',
      '/home/u/.gnupg/private-keys-v1.d',
      '/home/u/.local/share/applications',
      '/home/u/.bashrc.d',
      '/etc',
      '/etc/cron.d',
      '/usr/local/bin',
      '/boot',
      '/home/u/.local/share/seedling',
      '/home/u/.local/share/seedling/torrents',
    ]) {
      expect(refusal(desktop, 'download', dir, [dir]), dir).toMatch(/protected folder$/)
    }
  })

  it('never hold a protected folder: not home itself, not /, not ~/.config', () => {
    for (const dir of ['/home/u', '/home/u/', '/home', '/', '/home/u/.config', '/home/u/.local']) {
      expect(refusal(desktop, 'download', dir, [dir]), dir).toMatch(/holds the protected/)
    }
  })

  it('the state folder is refused itself, but a folder beside it is fine', () => {
    const layout = { ...linux, stateDir: '/tmp/t/state' }
    expect(refusal(policy(null, layout), 'download', '/tmp/t/state', ['/tmp/t/state'])).toMatch(
      /protected folder/,
    )
    expect(refusal(policy(null, layout), 'download', '/tmp/t', ['/tmp/t'])).toBeNull()
  })

  it('are judged in every form given: a link into a protected folder is refused by its real path', () => {
    expect(
      refusal(desktop, 'download', '/home/u/Downloads/x', ['/home/u/Downloads/x', '/home/u/.ssh']),
    ).toMatch(/\.ssh is a protected folder/)
  })
})

describe('confined (seedling serve)', () => {
  it('allows folders inside a root', () => {
    expect(refusal(served, 'download', '/srv/media/tv', ['/srv/media/tv'])).toBeNull()
    expect(refusal(served, 'download', '/home/u/Downloads', ['/home/u/Downloads'])).toBeNull()
    expect(refusal(served, 'source', '/srv/media/a.iso', ['/srv/media/a.iso'])).toBeNull()
    expect(refusal(served, 'output', '/srv/media', ['/srv/media'])).toBeNull()
  })

  it('refuses every purpose outside the roots, naming the roots and how to widen them', () => {
    for (const purpose of ['download', 'source', 'output'] as const) {
      const why = refusal(served, purpose, '/mnt/other', ['/mnt/other'])
      expect(why).toContain('/mnt/other is outside the folders this server may use')
      expect(why).toContain('/home/u/Downloads, /srv/media')
      expect(why).toContain('--allow-root')
    }
    expect(refusal(served, 'source', '/etc', ['/etc'])).toMatch(/outside/)
    expect(refusal(served, 'download', '/srv/mediaX', ['/srv/mediaX'])).toMatch(/outside/)
  })

  it('refuses a path whose real location leaves the root, though it is written inside', () => {
    expect(
      refusal(served, 'source', '/srv/media/link', ['/srv/media/link', '/etc/passwd']),
    ).toMatch(/outside/)
  })

  it('still refuses protected folders inside a root, for sources too', () => {
    const wide = policy(['/'])
    expect(refusal(wide, 'source', '/etc', ['/etc'])).toMatch(/does not share files from \/etc/)
    expect(refusal(wide, 'source', '/home/u/.ssh/id_ed25519', ['/home/u/.ssh/id_ed25519'])).toMatch(
      /protected/,
    )
    expect(refusal(wide, 'source', '/home/u', ['/home/u'])).toMatch(/holds the protected/)
    expect(
      refusal(wide, 'download', '/home/u/.config/autostart', ['/home/u/.config/autostart']),
    ).toMatch(/protected/)
    expect(
      refusal(wide, 'output', '/home/u/.config/autostart', ['/home/u/.config/autostart']),
    ).toMatch(/does not write a \.torrent into/)
    // A .torrent file in the home folder cannot become one of its start-up files.
    expect(refusal(wide, 'output', '/home/u', ['/home/u'])).toBeNull()
    expect(refusal(wide, 'source', '/home/u/Videos/a.mkv', ['/home/u/Videos/a.mkv'])).toBeNull()
  })

  it('does not check sources or outputs when not confined (the local user shares what they choose)', () => {
    expect(refusal(desktop, 'source', '/home/u', ['/home/u'])).toBeNull()
    expect(refusal(desktop, 'output', '/etc', ['/etc'])).toBeNull()
  })
})

describe('protected paths of each platform', () => {
  it('include the startup folders of Windows and macOS, and XDG autostart', () => {
    const win = protectedPaths({
      platform: 'win32',
      home: 'C:\\Users\\u',
      env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming', ProgramFiles: 'C:\\Program Files' },
      stateDir: 'C:\\Users\\u\\AppData\\Roaming\\Seedling',
    }).map((p) => p.path)
    expect(win).toContain(
      'C:\\Users\\u\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup',
    )
    expect(win).toContain('C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\Startup')
    expect(win).toContain('C:\\Windows')
    expect(win).toContain('C:\\Program Files')
    expect(win).toContain('C:\\Users\\u\\.ssh')
    const winPolicy: FolderPolicy = {
      platform: 'win32',
      roots: null,
      protected: protectedPaths({
        platform: 'win32',
        home: 'C:\\Users\\u',
        env: {},
        stateDir: 'C:\\s',
      }),
    }
    expect(refusal(winPolicy, 'download', 'c:\\users\\u', ['c:\\users\\u'])).toMatch(/holds/)
    expect(refusal(winPolicy, 'download', 'D:\\Downloads', ['D:\\Downloads'])).toBeNull()

    const mac = protectedPaths({ ...linux, platform: 'darwin', home: '/Users/u' }).map(
      (p) => p.path,
    )
    expect(mac).toContain('/Users/u/Library/LaunchAgents')
    expect(mac).toContain('/Library/LaunchDaemons')

    const xdg = protectedPaths({ ...linux, env: { XDG_CONFIG_HOME: '/cfg' } }).map((p) => p.path)
    expect(xdg).toContain('/cfg/autostart')
    expect(
      protectedPaths({ ...linux, env: { XDG_CONFIG_HOME: 'rel' } }).map((p) => p.path),
    ).not.toContain('rel/autostart')
  })
})
