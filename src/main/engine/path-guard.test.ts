import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PathGuard, realPath } from './path-guard'

let root: string
let home: string
let state: string
let media: string
beforeAll(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(tmpdir(), 'seedling-guard-')))
  home = path.join(root, 'home')
  state = path.join(root, 'state')
  media = path.join(root, 'media')
  await fs.mkdir(path.join(home, '.config', 'autostart'), { recursive: true })
  await fs.mkdir(path.join(home, 'Downloads'), { recursive: true })
  await fs.mkdir(media, { recursive: true })
  await fs.writeFile(path.join(media, 'a-file'), 'x')
  await fs.symlink(path.join(home, '.config', 'autostart'), path.join(media, 'to-autostart'))
  await fs.symlink(path.join(root, 'outside'), path.join(media, 'dangling'))
  await fs.symlink('/etc', path.join(media, 'etc-link'))
})
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true })
})

const guard = (allowedRoots?: string[]): Promise<PathGuard> =>
  PathGuard.create({ stateDir: state, allowedRoots, home, env: {} })

describe('realPath', () => {
  it('follows links, also for folders not created yet and for dangling links', async () => {
    expect(await realPath(path.join(media, 'to-autostart', 'new', 'deeper'))).toBe(
      path.join(home, '.config', 'autostart', 'new', 'deeper'),
    )
    expect(await realPath(path.join(media, 'dangling', 'x'))).toBe(path.join(root, 'outside', 'x'))
    expect(await realPath(path.join(media, 'plain'))).toBe(path.join(media, 'plain'))
  })
})

describe('PathGuard', () => {
  it('refuses a relative or non-normal path before looking at it', async () => {
    const g = await guard()
    await expect(g.check('download', 'downloads')).rejects.toMatchObject({ code: 'invalid' })
    await expect(g.check('download', `${media}/../home`)).rejects.toThrow(/absolute path/)
  })

  it('not confined: ordinary folders pass, protected ones are refused for downloads', async () => {
    const g = await guard()
    expect(g.confined).toBe(false)
    await g.check('download', path.join(media, 'new'))
    await expect(
      g.check('download', path.join(home, '.config', 'autostart')),
    ).rejects.toMatchObject({ code: 'forbidden' })
    await expect(g.check('download', home)).rejects.toThrow(/holds the protected/)
    await expect(g.check('download', state)).rejects.toThrow(/protected folder/)
    // Through a link the folder is the same protected one.
    await expect(g.check('download', path.join(media, 'to-autostart'))).rejects.toThrow(
      /autostart is a protected folder/,
    )
    await g.check('source', home)
  })

  it('confined: only inside the roots, by real path, and never protected ones inside a root', async () => {
    const g = await guard([media, path.join(home, 'Downloads')])
    expect(g.confined).toBe(true)
    await g.check('download', path.join(home, 'Downloads', 'tv'))
    await g.check('source', path.join(media, 'a-file'))
    await g.check('output', path.join(media, 'x.torrent'))
    await expect(g.check('source', '/etc/passwd')).rejects.toThrow(/outside the folders/)
    await expect(g.check('source', path.join(media, 'etc-link'))).rejects.toThrow(/outside/)
    await expect(g.check('download', path.join(media, 'dangling'))).rejects.toThrow(/outside/)
    await expect(g.check('download', path.join(media, 'to-autostart', 'x'))).rejects.toThrow(
      /outside/,
    )
    await expect(g.check('output', path.join(root, 'x.torrent'))).rejects.toMatchObject({
      code: 'forbidden',
    })
    const wide = await guard([root])
    await expect(wide.check('download', path.join(home, '.config', 'autostart'))).rejects.toThrow(
      /protected folder/,
    )
    await expect(wide.check('source', home)).rejects.toThrow(/holds the protected/)
  })

  it('prepares a download folder: created when missing, refused with its name when it is a file', async () => {
    const g = await guard()
    const fresh = path.join(media, 'made', 'here')
    await g.prepareDownloadFolder(fresh)
    expect((await fs.stat(fresh)).isDirectory()).toBe(true)
    const file = path.join(media, 'a-file')
    await expect(g.prepareDownloadFolder(file)).rejects.toThrow(
      `the download folder ${file} is a file, not a folder`,
    )
    await expect(g.prepareDownloadFolder(path.join(file, 'below'))).rejects.toThrow(
      /cannot create the download folder .*a-file\/below: part of its path is a file/,
    )
    await expect(g.prepareDownloadFolder(home)).rejects.toMatchObject({ code: 'forbidden' })
    // Without the policy (data the engine itself made a torrent of), only the file check applies.
    await g.prepareDownloadFolder(home, { policy: false })
  })
})
