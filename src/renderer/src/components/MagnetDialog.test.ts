import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setClient } from '../api'
import { useUiStore } from '../stores/ui'
import { fakeClient } from '../test/fake-client'
import MagnetDialog from './MagnetDialog.vue'

beforeEach(() => setActivePinia(createPinia()))

describe('MagnetDialog', () => {
  it('has the engine fetch an http(s) URL and queues the .torrent for the add dialog', async () => {
    const client = fakeClient({
      fetchTorrentUrl: async () => ({ data: 'ZDQ6aW5mb2Rl', fileName: 'ubuntu.torrent' }),
    })
    setClient(client)
    const ui = useUiStore()
    ui.openMagnet()
    const w = mount(MagnetDialog, { props: { initial: 'https://example.org/ubuntu.torrent' } })
    await w.get('[data-testid="magnet-confirm"]').trigger('click')
    await flushPromises()
    expect(client.fetchTorrentUrl).toHaveBeenCalledWith({
      url: 'https://example.org/ubuntu.torrent',
    })
    expect(ui.addQueue.map((a) => [a.source, a.label])).toEqual([
      [{ kind: 'file', data: 'ZDQ6aW5mb2Rl' }, 'ubuntu.torrent'],
    ])
    expect(ui.magnetDialog).toBeNull()
  })

  it('shows why a URL could not be fetched and stays open', async () => {
    const client = fakeClient({
      fetchTorrentUrl: async () => {
        throw new Error('example.org answered 404 for /x.torrent')
      },
    })
    setClient(client)
    useUiStore().openMagnet()
    const w = mount(MagnetDialog, { props: { initial: 'http://example.org/x.torrent' } })
    await w.get('[data-testid="magnet-confirm"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="magnet-error"]').text()).toContain('answered 404')
    expect(useUiStore().addQueue).toEqual([])
  })
})
