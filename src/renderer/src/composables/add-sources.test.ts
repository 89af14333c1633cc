import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { base64ToBytes } from '../lib/base64'
import { useUiStore } from '../stores/ui'
import { findMagnet, isTorrentFile, useAddSources } from './add-sources'

beforeEach(() => setActivePinia(createPinia()))

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
})
