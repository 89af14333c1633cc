import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { setClient } from '../api'
import { fakeClient, flush } from '../test/fake-client'
import WebSeedEditor from './WebSeedEditor.vue'

const HASH = 'b'.repeat(40)
let client: ReturnType<typeof fakeClient>
beforeEach(() => {
  client = fakeClient()
  setClient(client)
})

describe('WebSeedEditor', () => {
  it('saves the edited list once, without blank lines or repeats', async () => {
    const w = mount(WebSeedEditor, {
      props: { infoHash: HASH, urls: ['https://a.test/f/'], disabled: false },
    })
    await w.get('[data-testid="webseed-edit"]').trigger('click')
    const text = w.get('[data-testid="webseed-text"]')
    expect((text.element as HTMLTextAreaElement).value).toBe('https://a.test/f/')
    await text.setValue('https://a.test/f/\n\n  http://b.test/x  \nhttps://a.test/f/\n')
    await w.get('form').trigger('submit')
    await flush()
    expect(client.editWebSeeds).toHaveBeenCalledWith({
      infoHash: HASH,
      urls: ['https://a.test/f/', 'http://b.test/x'],
    })
    expect(w.emitted('saved')).toHaveLength(1)
    expect(w.find('[data-testid="webseed-editor"]').exists()).toBe(false)
  })

  it('says what is wrong in words and sends nothing', async () => {
    const w = mount(WebSeedEditor, { props: { infoHash: HASH, urls: [], disabled: false } })
    await w.get('[data-testid="webseed-edit"]').trigger('click')
    await w.get('[data-testid="webseed-text"]').setValue('udp://a.test:1')
    await w.get('form').trigger('submit')
    await flush()
    expect(w.get('[role="alert"]').text()).toContain('is not a web seed address')
    expect(client.editWebSeeds).not.toHaveBeenCalled()
  })

  it('shows the engine refusing in words and stays open', async () => {
    client.editWebSeeds.mockRejectedValueOnce(new Error('no torrent with info hash x'))
    const w = mount(WebSeedEditor, { props: { infoHash: HASH, urls: [], disabled: false } })
    await w.get('[data-testid="webseed-edit"]').trigger('click')
    await w.get('[data-testid="webseed-text"]').setValue('https://a.test/')
    await w.get('form').trigger('submit')
    await flush()
    expect(w.get('[role="alert"]').text()).toBe(
      'Could not save the web seeds: no torrent with info hash x',
    )
    expect(w.find('[data-testid="webseed-editor"]').exists()).toBe(true)
  })
})
