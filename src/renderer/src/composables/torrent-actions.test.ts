import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setClient } from '../api'
import { i18n } from '../i18n'
import { useConnectionStore } from '../stores/connection'
import { useTorrentsStore } from '../stores/torrents'
import { useUiStore } from '../stores/ui'
import { fakeClient, summary } from '../test/fake-client'
import { useTorrentActions } from './torrent-actions'

let client: ReturnType<typeof fakeClient>

beforeEach(() => {
  setActivePinia(createPinia())
  client = fakeClient()
  setClient(client)
})

afterEach(() => {
  i18n.global.locale.value = 'en'
  vi.unstubAllGlobals()
})

const toasts = (): string[] => useUiStore().toasts.map((t) => `${t.kind}: ${t.message}`)

function stubClipboard(writeText: (text: string) => Promise<void>): void {
  vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
}

describe('torrent actions', () => {
  it('names the action that failed, in the toolbar’s words', async () => {
    client.pauseTorrents.mockRejectedValue(new Error('no such torrent'))
    const actions = useTorrentActions()
    await actions.pause(['a'.repeat(40)])
    i18n.global.locale.value = 'de'
    await actions.pause(['a'.repeat(40)])
    expect(toasts()).toEqual([
      'error: Pause failed: no such torrent',
      'error: „Pausieren“ ist fehlgeschlagen: no such torrent',
    ])
  })

  it('refuses to send while offline, saying why', async () => {
    const connection = useConnectionStore()
    connection.setTransport(true)
    connection.setTransport(false)
    const actions = useTorrentActions()
    await actions.recheck(['a'.repeat(40)])
    i18n.global.locale.value = 'fr'
    await actions.resume(['a'.repeat(40)])
    expect(client.recheckTorrent).not.toHaveBeenCalled()
    expect(client.resumeTorrents).not.toHaveBeenCalled()
    expect(toasts()).toEqual([
      'error: Recheck was not sent: not connected to the torrent engine.',
      'error: « Reprendre » n’a pas été envoyé : pas de connexion au moteur de torrents.',
    ])
  })

  it('copies magnet links and counts them in the toast', async () => {
    const writeText = vi.fn(async () => {})
    stubClipboard(writeText)
    const [one, two] = [summary(), summary()]
    useTorrentsStore().replaceAll([one!, two!])
    const actions = useTorrentActions()
    await actions.copyMagnet([one!.infoHash])
    await actions.copyMagnet([one!.infoHash, two!.infoHash])
    i18n.global.locale.value = 'de'
    await actions.copyMagnet([one!.infoHash, two!.infoHash])
    expect(writeText).toHaveBeenLastCalledWith(`${one!.magnetURI}\n${two!.magnetURI}`)
    expect(toasts()).toEqual([
      'info: Magnet link copied.',
      'info: 2 magnet links copied.',
      'info: 2 Magnet-Links kopiert.',
    ])
  })

  it('says when the clipboard refused', async () => {
    stubClipboard(async () => {
      throw new Error('permission denied')
    })
    const t = summary()
    useTorrentsStore().replaceAll([t])
    await useTorrentActions().copyMagnet([t.infoHash])
    expect(toasts()).toEqual(['error: Could not copy: permission denied'])
  })
})
