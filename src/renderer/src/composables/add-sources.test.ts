import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { DesktopApi, OpenRequest } from '@shared/desktop-api'
import { MAX_TORRENT_FILE_BYTES } from '@shared/limits'
import { setClient } from '../api'
import { i18n } from '../i18n'
import { base64ToBytes } from '../lib/base64'
import { fakeClient } from '../test/fake-client'
import { useUiStore } from '../stores/ui'
import { findMagnet, isTorrentFile, useAddSources } from './add-sources'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  i18n.global.locale.value = 'en'
})

const toasts = (): string[] => useUiStore().toasts.map((t) => `${t.kind}: ${t.message}`)

/** A desktop client whose OS open requests the test hands over itself. */
function desktopClient(desktop: Partial<DesktopApi>): void {
  setClient(Object.assign(fakeClient(), { desktop: desktop as DesktopApi }))
}

describe('add sources', () => {
  it('finds a magnet link in pasted text', () => {
    const m = `magnet:?xt=urn:btih:${'a'.repeat(40)}&dn=x&tr=udp%3A%2F%2Ft`
    expect(findMagnet(`see ${m}\nthanks`)).toBe(m)
    expect(findMagnet('<a href="' + m + '">')).toBe(m)
    expect(findMagnet('no link here')).toBeNull()
  })

  it('reads .torrent files as base64 and queues them for the add dialog', async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251)
    const file = new File([bytes], 'big.torrent', { type: 'application/x-bittorrent' })
    expect(isTorrentFile(file)).toBe(true)
    expect(isTorrentFile(new File(['x'], 'notes.txt'))).toBe(false)
    await useAddSources().addFiles([file])
    const ui = useUiStore()
    expect(ui.addQueue).toHaveLength(1)
    const source = ui.addQueue[0]!.source
    expect(source.kind).toBe('file')
    expect(source.kind === 'file' && base64ToBytes(source.data)).toEqual(bytes)
    expect(ui.addQueue[0]!.label).toBe('big.torrent')
  })

  it('refuses a .torrent file too large before reading it, in the UI’s language', async () => {
    const big = new File([new Uint8Array(MAX_TORRENT_FILE_BYTES + 1)], 'huge.torrent')
    await useAddSources().addFiles([big])
    i18n.global.locale.value = 'de'
    await useAddSources().addFiles([big])
    expect(useUiStore().addQueue).toEqual([])
    expect(toasts()).toEqual([
      'error: huge.torrent: a .torrent file is at most 10 MB.',
      'error: huge.torrent: Eine .torrent-Datei ist höchstens 10 MB groß.',
    ])
  })

  it('says which file could not be read, and why', async () => {
    const broken = new File(['x'], 'broken.torrent')
    broken.arrayBuffer = () => Promise.reject(new Error('disk gone'))
    await useAddSources().addFiles([broken])
    expect(toasts()).toEqual(['error: Could not read “broken.torrent”: disk gone'])
  })

  it('labels a magnet link handed over by the OS in the UI’s language', () => {
    let hand: (req: OpenRequest) => void = () => undefined
    desktopClient({
      onOpenRequest: (listener) => {
        hand = listener
        return () => undefined
      },
    })
    useAddSources().listenForOpenRequests()
    const uri = `magnet:?xt=urn:btih:${'b'.repeat(40)}`
    hand({ kind: 'magnet', uri })
    i18n.global.locale.value = 'fr'
    hand({ kind: 'magnet', uri })
    expect(useUiStore().addQueue.map((a) => a.label)).toEqual(['magnet link', 'lien magnet'])
  })

  it('says when the native open dialog failed', async () => {
    desktopClient({ openTorrentFiles: () => Promise.reject(new Error('portal closed')) })
    i18n.global.locale.value = 'de'
    expect(await useAddSources().openWithNativeDialog()).toBe(true)
    expect(toasts()).toEqual(['error: Öffnen fehlgeschlagen: portal closed'])
  })
})
