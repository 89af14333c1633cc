import { describe, expect, it } from 'vitest'
import type { PickedTorrent } from './dialogs-controller'
import { menuCommandHandler } from './menu-controller'

function setup(picked: PickedTorrent[]) {
  const log: unknown[] = []
  const onCommand = menuCommandHandler({
    pickTorrentFiles: async () => picked,
    open: (request) => void log.push(['open', request.name]),
    showWindow: () => void log.push('show window'),
    toRenderer: (command) => void log.push(['renderer', command]),
    showAbout: () => void log.push('about'),
    quit: () => void log.push('quit'),
  })
  return { onCommand, log }
}

const file = (name: string): PickedTorrent => ({
  kind: 'file',
  name,
  source: { kind: 'file', data: '' },
})
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('menuCommandHandler', () => {
  it('"Open" queues the picked files as open requests and brings the window up', async () => {
    const { onCommand, log } = setup([file('a.torrent'), file('b.torrent')])
    onCommand('open-torrent')
    await settle()
    expect(log).toEqual([['open', 'a.torrent'], ['open', 'b.torrent'], 'show window'])
  })

  it('a cancelled "Open" does nothing', async () => {
    const { onCommand, log } = setup([])
    onCommand('open-torrent')
    await settle()
    expect(log).toEqual([])
  })

  it('hands the page its commands after showing it; about and quit stay in main', () => {
    const { onCommand, log } = setup([])
    onCommand('add-magnet')
    onCommand('create-torrent')
    onCommand('about')
    onCommand('quit')
    expect(log).toEqual([
      'show window',
      ['renderer', 'add-magnet'],
      'show window',
      ['renderer', 'create-torrent'],
      'about',
      'quit',
    ])
  })
})
