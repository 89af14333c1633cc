import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setClient } from '../api'
import { useTorrentsStore } from '../stores/torrents'
import { useUiStore } from '../stores/ui'
import { fakeClient, flush, summary } from '../test/fake-client'
import LabelsDialog from './LabelsDialog.vue'

let client: ReturnType<typeof fakeClient>
beforeEach(() => {
  setActivePinia(createPinia())
  client = fakeClient()
  setClient(client)
})

function open(...torrents: ReturnType<typeof summary>[]) {
  useTorrentsStore().replaceAll(torrents)
  const hashes = torrents.map((t) => t.infoHash)
  useUiStore().openLabels(hashes)
  return mount(LabelsDialog, { props: { infoHashes: hashes }, attachTo: document.body })
}

describe('LabelsDialog', () => {
  it('starts with the shared category, adds typed tags and removes unticked ones in one call', async () => {
    const a = summary({ category: 'Films', tags: ['4k', 'old'] })
    const b = summary({ category: 'Films', tags: ['old'] })
    const w = open(a, b)
    expect((w.get('[data-testid="labels-category"]').element as HTMLInputElement).value).toBe(
      'Films',
    )
    await w.get('[data-testid="labels-add-tags"]').setValue(' new ,  fresh pick,new')
    const old = w
      .findAll('[data-testid="labels-tag"]')
      .find((c) => (c.element as HTMLInputElement).value === 'old')!
    await old.setValue(false)
    await w.get('form').trigger('submit')
    await flush()
    // The category was not changed, so it is not sent: each torrent keeps its own.
    expect(client.setLabels).toHaveBeenCalledWith({
      infoHashes: [a.infoHash, b.infoHash],
      addTags: ['new', 'fresh pick'],
      removeTags: ['old'],
    })
    expect(useUiStore().labelsDialog).toBeNull()
    w.unmount()
  })

  it('sends an emptied category as none, and a typed one as it is', async () => {
    const a = summary({ category: 'Films' })
    const w = open(a)
    await w.get('[data-testid="labels-category"]').setValue('   ')
    await w.get('form').trigger('submit')
    await flush()
    expect(client.setLabels).toHaveBeenLastCalledWith(expect.objectContaining({ category: null }))
    w.unmount()
    const b = summary({ category: null })
    const w2 = open(b)
    expect((w2.get('[data-testid="labels-category"]').element as HTMLInputElement).value).toBe('')
    await w2.get('[data-testid="labels-category"]').setValue('  Linux   ISOs ')
    await w2.get('form').trigger('submit')
    await flush()
    expect(client.setLabels).toHaveBeenLastCalledWith(
      expect.objectContaining({ category: 'Linux ISOs' }),
    )
    w2.unmount()
  })

  it('says in words what is wrong with a label and sends nothing', async () => {
    const w = open(summary())
    await w.get('[data-testid="labels-category"]').setValue('x'.repeat(70))
    await w.get('form').trigger('submit')
    await flush()
    expect(w.get('[role="alert"]').text()).toContain('1 to 64 characters')
    expect(client.setLabels).not.toHaveBeenCalled()
    w.unmount()
  })

  it('shows the engine refusing and stays open', async () => {
    client.setLabels.mockRejectedValueOnce(new Error('"two" would have more than 20 tags'))
    const w = open(summary())
    await w.get('[data-testid="labels-add-tags"]').setValue('a')
    await w.get('form').trigger('submit')
    await flush()
    expect(w.get('[role="alert"]').text()).toBe(
      'Could not save: "two" would have more than 20 tags',
    )
    expect(useUiStore().labelsDialog).not.toBeNull()
    w.unmount()
  })
})
