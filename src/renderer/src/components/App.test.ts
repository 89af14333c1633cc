import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import type { VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setClient } from '../api'
import { useSelectionStore } from '../stores/selection'
import { useUiStore } from '../stores/ui'
import { fakeClient, flush, stats, summary } from '../test/fake-client'
import App from '../App.vue'

let client: ReturnType<typeof fakeClient>
let wrapper: VueWrapper | null = null
beforeEach(() => {
  const pinia = createPinia()
  setActivePinia(pinia)
  client = fakeClient()
  setClient(client)
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
})

async function mountApp(): Promise<VueWrapper> {
  wrapper = mount(App, { attachTo: document.body })
  await flush()
  await flush()
  return wrapper
}

function key(k: string, opts: KeyboardEventInit = {}): void {
  document.body.dispatchEvent(
    new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...opts }),
  )
}

describe('App', () => {
  it('loads the snapshot and stats, and shows the status bar with the WebRTC note', async () => {
    const t = summary({ name: 'hello' })
    client.listTorrents.mockResolvedValue([t])
    client.getStats.mockResolvedValue(
      stats({
        downloadSpeed: 2048,
        peers: 3,
        freeSpace: 1024 ** 3,
        webrtc: { available: false, note: 'WebRTC is off' },
        sessionWarning: null,
      }),
    )
    const w = await mountApp()
    expect(w.get('[data-testid="torrent-name"]').text()).toBe('hello')
    expect(w.get('[data-testid="status-down"]').text()).toContain('2 KiB/s')
    expect(w.get('[data-testid="status-peers"]').text()).toBe('3 peers')
    expect(w.get('[data-testid="status-free"]').text()).toContain('1 GiB free')
    // The page's own words in its language, not the engine's English note.
    expect(w.get('[data-testid="status-webrtc"]').text()).toMatch(/^WebRTC peers are off: /)
    client.emit('stats', stats({ uploadSpeed: 1024 * 1024 }))
    await flush()
    expect(w.get('[data-testid="status-up"]').text()).toContain('1 MiB/s')
  })

  it('keyboard: Ctrl+A selects all, Space pauses or resumes, Delete asks before removing', async () => {
    const a = summary({ status: 'downloading' })
    const b = summary({ status: 'paused' })
    client.listTorrents.mockResolvedValue([a, b])
    const w = await mountApp()
    key('a', { ctrlKey: true })
    const sel = useSelectionStore()
    expect(sel.count).toBe(2)
    key(' ')
    await flush()
    expect(client.pauseTorrents).toHaveBeenCalledWith({
      infoHashes: expect.arrayContaining([a.infoHash, b.infoHash]),
    })
    sel.selectOnly(b.infoHash)
    key(' ')
    await flush()
    expect(client.resumeTorrents).toHaveBeenCalledWith({ infoHashes: [b.infoHash] })
    key('Delete')
    await flush()
    expect(w.find('[data-testid="remove-confirm"]').exists()).toBe(true)
    expect(client.removeTorrent).not.toHaveBeenCalled()
  })

  it('Ctrl+U opens the magnet dialog; pasting a magnet outside inputs opens it prefilled', async () => {
    const w = await mountApp()
    key('u', { ctrlKey: true })
    await flush()
    expect(w.find('[data-testid="magnet-input"]').exists()).toBe(true)
    useUiStore().closeMagnet()
    await flush()
    const magnet = `magnet:?xt=urn:btih:${'ef'.repeat(20)}&dn=x`
    const paste = new Event('paste', { bubbles: true, cancelable: true }) as ClipboardEvent
    Object.defineProperty(paste, 'clipboardData', { value: { getData: () => `look: ${magnet} ` } })
    document.body.dispatchEvent(paste)
    await flush()
    const input = w.get('[data-testid="magnet-input"]').element as HTMLTextAreaElement
    expect(input.value).toBe(magnet)
    // Continue hands it to the add dialog, which inspects it.
    client.inspectTorrent.mockRejectedValue(new Error('bad magnet'))
    await w.get('[data-testid="magnet-confirm"]').trigger('click')
    await flush()
    expect(client.inspectTorrent).toHaveBeenCalledWith({ kind: 'magnet', uri: magnet })
    expect(w.get('[data-testid="add-error"]').text()).toBe('bad magnet')
  })

  it('hides "Open folder" unless the client offers it', async () => {
    const t = summary()
    client.listTorrents.mockResolvedValue([t])
    const w = await mountApp()
    useSelectionStore().selectOnly(t.infoHash)
    await flush()
    expect(w.find('[data-testid="open-folder-button"]').exists()).toBe(false)
    wrapper!.unmount()
    setActivePinia(createPinia())
    const revealTorrent = vi.fn(async () => {})
    client = fakeClient()
    client.listTorrents.mockResolvedValue([t])
    const desktop = {
      revealTorrent,
      openTorrentFiles: vi.fn(async () => []),
      chooseFolder: vi.fn(async () => null),
      onOpenRequest: vi.fn(() => () => {}),
      onEngineStatus: vi.fn(() => () => {}),
      onMenuCommand: vi.fn(() => () => {}),
      getDesktopSettings: vi.fn(),
      updateDesktopSettings: vi.fn(),
    }
    setClient(Object.assign(client, { desktop }))
    const w2 = await mountApp()
    useSelectionStore().selectOnly(t.infoHash)
    await flush()
    await w2.get('[data-testid="open-folder-button"]').trigger('click')
    expect(revealTorrent).toHaveBeenCalledWith({ infoHash: t.infoHash })
  })

  it('opens the details tabs with role=tab', async () => {
    const t = summary()
    client.listTorrents.mockResolvedValue([t])
    client.getTorrent.mockResolvedValue({
      summary: t,
      meta: null,
      files: [],
      peers: [],
      trackers: [],
      webSeeds: [],
    })
    const w = await mountApp()
    useSelectionStore().selectOnly(t.infoHash)
    await flush()
    const tabs = w.findAll('[role="tab"]').map((x) => x.text())
    expect(tabs).toEqual(['General', 'Files', 'Peers', 'Trackers', 'Pieces'])
    await w.get('[data-testid="tab-peers"]').trigger('click')
    await flush()
    expect(client.getTorrent).toHaveBeenCalledWith({ infoHash: t.infoHash })
    expect(w.text()).toContain('No peers connected.')
  })
})
