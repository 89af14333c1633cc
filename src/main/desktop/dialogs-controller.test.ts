import { describe, expect, it } from 'vitest'
import type { OpenDialogOptions, OpenDialogReturnValue } from 'electron'
import type { DialogPort } from './dialogs-controller'
import { DialogsController } from './dialogs-controller'
import { translator } from './i18n/translate'

const HASH = 'ab'.repeat(20)

function setup(opts: { window?: string | null; picked?: string[]; exists?: boolean } = {}) {
  const log: unknown[] = []
  const dialog = {
    showOpenDialog: async (...args: unknown[]): Promise<OpenDialogReturnValue> => {
      log.push(['open', ...args])
      const filePaths = opts.picked ?? []
      return { canceled: filePaths.length === 0, filePaths }
    },
    showErrorBox: (title: string, content: string) => void log.push(['error box', title, content]),
  } as DialogPort<string>
  const dialogs = new DialogsController<string>({
    dialog,
    t: translator('en'),
    shell: {
      showItemInFolder: (p) => void log.push(['show item', p]),
      openPath: async (p) => {
        log.push(['open path', p])
        return p === '/gone' ? 'no such folder' : ''
      },
    },
    window: () => (opts.window === undefined ? 'main window' : opts.window),
    readTorrentFile: async (file) =>
      file.endsWith('.torrent')
        ? { name: file.slice(1), source: { kind: 'file', data: 'ZA==' } }
        : { error: `cannot read ${file}` },
    exists: () => opts.exists ?? true,
    dataPath: async (infoHash) => (infoHash === HASH ? '/downloads/thing' : '/gone/x'),
  })
  return { dialogs, log }
}

describe('DialogsController', () => {
  it('picks .torrent files as a sheet of the main window; unreadable ones go to one error box', async () => {
    const { dialogs, log } = setup({ picked: ['/a.torrent', '/b.txt', '/c.torrent', '/d'] })
    const picked = await dialogs.pickTorrentFiles()
    expect(picked.map((p) => p.name)).toEqual(['a.torrent', 'c.torrent'])
    expect(picked[0]).toEqual({
      kind: 'file',
      name: 'a.torrent',
      source: { kind: 'file', data: 'ZA==' },
    })
    const [open, errorBox] = log as [unknown[], unknown[]]
    expect(open[1]).toBe('main window')
    expect((open[2] as OpenDialogOptions).properties).toEqual(['openFile', 'multiSelections'])
    expect(errorBox).toEqual([
      'error box',
      'Some files could not be opened',
      'cannot read /b.txt\ncannot read /d',
    ])
  })

  it('opens a free-standing dialog without a window, and a cancel picks nothing', async () => {
    const { dialogs, log } = setup({ window: null })
    expect(await dialogs.pickTorrentFiles()).toEqual([])
    expect((log[0] as unknown[]).length).toBe(2)
  })

  it('chooses a folder with checked parameters', async () => {
    const { dialogs } = setup({ picked: ['/dl'] })
    expect(await dialogs.chooseFolder({ title: 'Download to' })).toBe('/dl')
    await expect(dialogs.chooseFolder({ title: 'x'.repeat(201) })).rejects.toThrow()
    await expect(dialogs.chooseFolder(null)).rejects.toThrow()
  })

  it('reveals the data at the path the engine gives, or opens its folder when it is gone', async () => {
    const there = setup()
    await there.dialogs.revealTorrent({ infoHash: HASH })
    expect(there.log).toEqual([['show item', '/downloads/thing']])
    const missing = setup({ exists: false })
    await missing.dialogs.revealTorrent({ infoHash: HASH })
    expect(missing.log).toEqual([['open path', '/downloads']])
    await expect(missing.dialogs.revealTorrent({ infoHash: 'cd'.repeat(20) })).rejects.toThrow(
      'cannot open the folder: no such folder',
    )
  })

  it('refuses a reveal request without a valid info hash', async () => {
    const { dialogs, log } = setup()
    await expect(dialogs.revealTorrent({ infoHash: '../../etc' })).rejects.toThrow('bad info hash')
    expect(log).toEqual([])
  })
})
