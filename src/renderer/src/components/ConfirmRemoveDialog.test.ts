import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setClient } from '../api'
import { useTorrentsStore } from '../stores/torrents'
import { useUiStore } from '../stores/ui'
import { fakeClient, flush, summary } from '../test/fake-client'
import ConfirmRemoveDialog from './ConfirmRemoveDialog.vue'

let client: ReturnType<typeof fakeClient>
beforeEach(() => {
  setActivePinia(createPinia())
  client = fakeClient()
  setClient(client)
})

describe('ConfirmRemoveDialog', () => {
  it('removes without deleting data unless the box is ticked', async () => {
    const t = summary({ name: '<b>x</b>' })
    useTorrentsStore().replaceAll([t])
    const ui = useUiStore()
    ui.confirmRemove([t.infoHash])
    const w = mount(ConfirmRemoveDialog, { props: { infoHashes: [t.infoHash] } })
    expect(w.text()).toContain('<b>x</b>')
    await w.get('[data-testid="remove-confirm"]').trigger('click')
    await flush()
    expect(client.removeTorrent).toHaveBeenCalledWith({ infoHash: t.infoHash, deleteData: false })
    expect(ui.removeConfirm).toBeNull()
  })

  it('deletes data when "also delete files" is ticked, for every selected torrent', async () => {
    const a = summary()
    const b = summary()
    const w = mount(ConfirmRemoveDialog, { props: { infoHashes: [a.infoHash, b.infoHash] } })
    expect(w.text()).toContain('Remove 2 torrents?')
    await w.get('[data-testid="remove-delete-files"]').setValue(true)
    await w.get('[data-testid="remove-confirm"]').trigger('click')
    await flush()
    expect(client.removeTorrent.mock.calls).toEqual([
      [{ infoHash: a.infoHash, deleteData: true }],
      [{ infoHash: b.infoHash, deleteData: true }],
    ])
  })

  it('cancel removes nothing', async () => {
    const a = summary()
    const ui = useUiStore()
    ui.confirmRemove([a.infoHash])
    const w = mount(ConfirmRemoveDialog, { props: { infoHashes: [a.infoHash] } })
    await w.get('[data-testid="remove-cancel"]').trigger('click')
    expect(client.removeTorrent).not.toHaveBeenCalled()
    expect(ui.removeConfirm).toBeNull()
  })

  it('shows an engine error and stays open', async () => {
    client.removeTorrent.mockRejectedValueOnce(new Error('torrent not found'))
    const a = summary()
    const ui = useUiStore()
    ui.confirmRemove([a.infoHash])
    const w = mount(ConfirmRemoveDialog, { props: { infoHashes: [a.infoHash] } })
    await w.get('[data-testid="remove-confirm"]').trigger('click')
    await flush()
    expect(w.get('[data-testid="remove-error"]').text()).toContain('torrent not found')
    expect(ui.removeConfirm).not.toBeNull()
  })
})
