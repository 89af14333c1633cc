import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setClient } from '../api'
import { SeedlingError } from '@shared/api'
import type { InspectResult, MetaInfo } from '@shared/api'
import { useSelectionStore } from '../stores/selection'
import { useTorrentsStore } from '../stores/torrents'
import { useUiStore } from '../stores/ui'
import { fakeClient, flush, summary } from '../test/fake-client'
import AddTorrentDialog from './AddTorrentDialog.vue'

const HASH = 'ab'.repeat(20)
function meta(over: Partial<MetaInfo> = {}): MetaInfo {
  return {
    infoHash: HASH,
    name: 'album',
    announce: 'http://tracker.example/announce',
    announceList: [['http://tracker.example/announce']],
    urlList: [],
    pieceLength: 16384,
    pieceCount: 1,
    lastPieceLength: 604,
    pieceHashes: ['00'.repeat(20)],
    length: 604,
    multiFile: true,
    files: [
      { path: 'album/cd1/01.flac', length: 100, offset: 0, firstPiece: 0, lastPiece: 0 },
      { path: 'album/cd1/02.flac', length: 200, offset: 100, firstPiece: 0, lastPiece: 0 },
      { path: 'album/cover.jpg', length: 304, offset: 300, firstPiece: 0, lastPiece: 0 },
    ],
    private: false,
    comment: 'a <script>comment</script>',
    createdBy: 'test',
    creationDate: null,
    infoSize: 200,
    magnetURI: `magnet:?xt=urn:btih:${HASH}`,
    warnings: [],
    ...over,
  }
}

let client: ReturnType<typeof fakeClient>
beforeEach(() => {
  setActivePinia(createPinia())
  client = fakeClient()
  setClient(client)
})

async function open(): Promise<ReturnType<typeof mount>> {
  const ui = useUiStore()
  ui.queueAdd({ source: { kind: 'file', data: 'ZGF0YQ==' }, label: 'album.torrent' })
  const w = mount(AddTorrentDialog, { props: { pending: ui.addQueue[0]! } })
  await flush()
  return w
}

describe('AddTorrentDialog', () => {
  it('previews the meta-info and files, then adds with the chosen files, folder and paused flag', async () => {
    client.inspectTorrent.mockResolvedValue({
      kind: 'torrent',
      meta: meta(),
    } satisfies InspectResult)
    client.addTorrent.mockResolvedValue({ torrent: summary({ infoHash: HASH }), duplicate: false })
    const w = await open()
    expect(client.inspectTorrent).toHaveBeenCalledWith({ kind: 'file', data: 'ZGF0YQ==' })
    expect(w.get('[data-testid="add-name"]').text()).toBe('album')
    expect(w.text()).toContain('a <script>comment</script>')
    expect((w.get('[data-testid="add-download-dir"]').element as HTMLInputElement).value).toBe(
      '/downloads',
    )
    expect(w.findAll('[data-testid="file-checkbox"]')).toHaveLength(3)
    // Untick cd1 (a folder): both its files go.
    const cd1 = w.findAll('[data-testid="folder-checkbox"]')[1]!
    await cd1.trigger('change')
    await w.get('[data-testid="add-download-dir"]').setValue('/data/music')
    await w.get('[data-testid="add-paused"]').setValue(true)
    await w.get('[data-testid="add-confirm"]').trigger('click')
    await flush()
    expect(client.addTorrent).toHaveBeenCalledWith({
      source: { kind: 'file', data: 'ZGF0YQ==' },
      downloadDir: '/data/music',
      paused: true,
      selectedFiles: [2],
    })
    expect(useUiStore().addQueue).toHaveLength(0)
  })

  it('adds with a category and tags, and says what is wrong with a bad one first', async () => {
    client.inspectTorrent.mockResolvedValue({
      kind: 'torrent',
      meta: meta(),
    } satisfies InspectResult)
    client.addTorrent.mockResolvedValue({ torrent: summary({ infoHash: HASH }), duplicate: false })
    const w = await open()
    await w.get('[data-testid="labels-category"]').setValue(' Music ')
    await w.get('[data-testid="labels-add-tags"]').setValue('flac, x\u202ey')
    await w.get('[data-testid="add-confirm"]').trigger('click')
    await flush()
    expect(w.get('[data-testid="add-label-problem"]').text()).toContain('1 to 64 characters')
    expect(client.addTorrent).not.toHaveBeenCalled()
    await w.get('[data-testid="labels-add-tags"]').setValue('flac, lossless, flac')
    await w.get('[data-testid="add-confirm"]').trigger('click')
    await flush()
    expect(client.addTorrent).toHaveBeenCalledWith(
      expect.objectContaining({ category: 'Music', tags: ['flac', 'lossless'] }),
    )
  })

  it('hides padding files (BEP 47) and keeps the indices of the others', async () => {
    const files = [
      { path: 'album/01.flac', length: 100, offset: 0, firstPiece: 0, lastPiece: 0 },
      {
        path: 'album/.pad/16284',
        length: 16284,
        offset: 100,
        firstPiece: 0,
        lastPiece: 0,
        padding: true as const,
      },
      { path: 'album/02.flac', length: 200, offset: 16384, firstPiece: 1, lastPiece: 1 },
    ]
    client.inspectTorrent.mockResolvedValue({
      kind: 'torrent',
      meta: meta({ files }),
    } satisfies InspectResult)
    client.addTorrent.mockResolvedValue({ torrent: summary({ infoHash: HASH }), duplicate: false })
    const w = await open()
    expect(w.findAll('[data-testid="file-checkbox"]')).toHaveLength(2)
    expect(w.text()).not.toContain('.pad')
    await w.findAll('[data-testid="file-checkbox"]')[0]!.trigger('change')
    await w.get('[data-testid="add-confirm"]').trigger('click')
    await flush()
    expect(client.addTorrent).toHaveBeenCalledWith(expect.objectContaining({ selectedFiles: [2] }))
  })

  it('names the file that is not a torrent and adds nothing', async () => {
    client.inspectTorrent.mockRejectedValue(
      new SeedlingError('not a torrent file: bad bencode at byte 0', 'invalid'),
    )
    const w = await open()
    expect(w.get('[data-testid="add-error"]').text()).toBe(
      'Could not read “album.torrent”: not a torrent file: bad bencode at byte 0',
    )
    expect(w.find('[data-testid="add-duplicate"]').exists()).toBe(false)
    expect(w.get('[data-testid="add-confirm"]').attributes('disabled')).toBeDefined()
    await w.get('[data-testid="add-confirm"]').trigger('click')
    expect(client.addTorrent).not.toHaveBeenCalled()
  })

  it('says a torrent already in the list is a duplicate and does not call add', async () => {
    useTorrentsStore().replaceAll([summary({ infoHash: HASH, name: 'album' })])
    client.inspectTorrent.mockResolvedValue({ kind: 'torrent', meta: meta() })
    const w = await open()
    const note = w.get('[data-testid="add-duplicate"]')
    expect(note.text()).toContain('already in your list')
    expect(note.attributes('role')).toBe('status')
    expect(w.find('[data-testid="add-error"]').exists()).toBe(false)
    expect(useSelectionStore().hashes).toEqual([HASH])
    expect(w.get('[data-testid="add-confirm"]').attributes('disabled')).toBeDefined()
    expect(client.addTorrent).not.toHaveBeenCalled()
  })

  it('shows a duplicate refused by the engine by its code, not as an error', async () => {
    client.inspectTorrent.mockResolvedValue({ kind: 'torrent', meta: meta() })
    client.addTorrent.mockRejectedValue(new SeedlingError('already there', 'duplicate'))
    const w = await open()
    // Added from elsewhere while the dialog was open.
    useTorrentsStore().replaceAll([summary({ infoHash: HASH, name: 'album (seeding)' })])
    await w.get('[data-testid="add-confirm"]').trigger('click')
    await flush()
    expect(w.find('[data-testid="add-error"]').exists()).toBe(false)
    expect(w.get('[data-testid="add-duplicate"]').text()).toContain('“album (seeding)”')
    expect(useSelectionStore().hashes).toEqual([HASH])
    expect(useUiStore().addQueue).toHaveLength(1)
  })

  it('shows the duplicate the engine reports and keeps the dialog open', async () => {
    client.inspectTorrent.mockResolvedValue({ kind: 'torrent', meta: meta() })
    client.addTorrent.mockResolvedValue({
      torrent: summary({ infoHash: HASH, name: 'album' }),
      duplicate: true,
    })
    const w = await open()
    await w.get('[data-testid="add-confirm"]').trigger('click')
    await flush()
    expect(w.get('[data-testid="add-duplicate"]').text()).toContain('Nothing was added')
    expect(useUiStore().addQueue).toHaveLength(1)
    expect(useUiStore().toasts).toHaveLength(0)
  })

  it('shows an add failure message', async () => {
    client.inspectTorrent.mockResolvedValue({ kind: 'torrent', meta: meta() })
    client.addTorrent.mockRejectedValue(new Error('download folder is not writable'))
    const w = await open()
    await w.get('[data-testid="add-confirm"]').trigger('click')
    await flush()
    expect(w.get('[data-testid="add-error"]').text()).toBe('download folder is not writable')
    expect(useUiStore().addQueue).toHaveLength(1)
  })

  it('adds a magnet without a file list', async () => {
    client.inspectTorrent.mockResolvedValue({
      kind: 'magnet',
      magnet: {
        infoHash: HASH,
        name: 'thing',
        trackers: [],
        webSeeds: [],
        peers: [],
        magnetURI: 'magnet:?',
      },
    })
    client.addTorrent.mockResolvedValue({ torrent: summary({ infoHash: HASH }), duplicate: false })
    const ui = useUiStore()
    ui.queueAdd({
      source: { kind: 'magnet', uri: `magnet:?xt=urn:btih:${HASH}` },
      label: 'magnet link',
    })
    const w = mount(AddTorrentDialog, { props: { pending: ui.addQueue[0]! } })
    await flush()
    expect(w.find('[data-testid="file-tree"]').exists()).toBe(false)
    await w.get('[data-testid="add-confirm"]').trigger('click')
    await flush()
    expect(client.addTorrent).toHaveBeenCalledWith(
      expect.objectContaining({
        selectedFiles: undefined,
        paused: false,
        downloadDir: '/downloads',
      }),
    )
  })
})
