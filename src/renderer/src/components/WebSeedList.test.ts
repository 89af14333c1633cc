import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { WebSeedInfo } from '@shared/api'
import { setClient } from '../api'
import { i18n } from '../i18n'
import { fakeClient, flush } from '../test/fake-client'
import WebSeedList from './WebSeedList.vue'

const HASH = 'c'.repeat(40)
const working: WebSeedInfo = {
  url: 'https://a.test/files/',
  state: 'active',
  downloaded: 2048,
  error: null,
  nextRetry: null,
}
const failing: WebSeedInfo = {
  url: 'http://b.test/x',
  state: 'backoff',
  downloaded: 0,
  error: 'web seed answered HTTP 500',
  nextRetry: '2026-12-01T04:00:00.000Z',
}
let client: ReturnType<typeof fakeClient>
beforeEach(() => {
  client = fakeClient()
  setClient(client)
})

describe('WebSeedList', () => {
  it('shows each web seed with its state, bytes and why it is waiting', () => {
    const w = mount(WebSeedList, {
      props: { infoHash: HASH, seeds: [working, failing], disabled: false },
    })
    const rows = w.findAll('[data-testid="webseed-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.text()).toContain('Downloading')
    expect(rows[0]!.text()).toContain('2')
    expect(rows[1]!.text()).toContain('Waiting to retry')
    expect(rows[1]!.text()).toContain('web seed answered HTTP 500')
  })

  it('speaks the UI’s language, sizes and the engine’s reason included', () => {
    i18n.global.locale.value = 'de'
    try {
      const w = mount(WebSeedList, {
        props: {
          infoHash: HASH,
          seeds: [{ ...working, downloaded: 1536 }, failing],
          disabled: false,
        },
      })
      const rows = w.findAll('[data-testid="webseed-row"]')
      expect(rows[0]!.text()).toContain('Lädt herunter')
      expect(rows[0]!.text()).toContain('1,5 KiB')
      expect(rows[1]!.text()).toContain('Wartet auf neuen Versuch')
      expect(rows[1]!.text()).toContain('web seed answered HTTP 500')
      expect(w.find(`[aria-label="Webseed ${failing.url} entfernen"]`).exists()).toBe(true)
    } finally {
      i18n.global.locale.value = 'en'
    }
  })

  it('says when there are none', () => {
    const w = mount(WebSeedList, { props: { infoHash: HASH, seeds: [], disabled: false } })
    expect(w.text()).toContain('This torrent has no web seeds.')
    expect(w.find('[data-testid="webseeds-table"]').exists()).toBe(false)
  })

  it('removes one by saving the list without it', async () => {
    const w = mount(WebSeedList, {
      props: { infoHash: HASH, seeds: [working, failing], disabled: false },
    })
    await w.get(`[aria-label="Remove web seed ${failing.url}"]`).trigger('click')
    await flush()
    expect(client.editWebSeeds).toHaveBeenCalledWith({ infoHash: HASH, urls: [working.url] })
    expect(w.emitted('changed')).toHaveLength(1)
  })

  it('shows a refused removal in words', async () => {
    client.editWebSeeds.mockRejectedValueOnce(new Error('no torrent with info hash x'))
    const w = mount(WebSeedList, { props: { infoHash: HASH, seeds: [working], disabled: false } })
    await w.get(`[aria-label="Remove web seed ${working.url}"]`).trigger('click')
    await flush()
    expect(w.get('[role="alert"]').text()).toBe(
      'Could not remove the web seed: no torrent with info hash x',
    )
    expect(w.emitted('changed')).toBeUndefined()
  })
})
