import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setClient } from '../api'
import { i18n } from '../i18n'
import { bytesToBase64 } from '../lib/base64'
import { fakeClient, flush } from '../test/fake-client'
import PiecesMap from './PiecesMap.vue'

const HASH = 'cd'.repeat(20)
let client: ReturnType<typeof fakeClient>
beforeEach(() => {
  setActivePinia(createPinia())
  client = fakeClient()
  setClient(client)
  // jsdom has no 2D canvas: the component must cope with getContext returning null.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
})
afterEach(() => vi.restoreAllMocks())

describe('PiecesMap', () => {
  it('shows have / downloading / missing counts for the bitfield, and survives no canvas', async () => {
    client.getPieces.mockResolvedValue({
      infoHash: HASH,
      pieceCount: 12,
      have: bytesToBase64(new Uint8Array([0b1111_0000, 0b1000_0000])),
      inProgress: [4, 5, 0],
    })
    const w = mount(PiecesMap, { props: { infoHash: HASH } })
    await flush()
    expect(client.getPieces).toHaveBeenCalledWith({ infoHash: HASH })
    expect(w.get('[data-testid="pieces-have"]').text()).toBe('5')
    expect(w.get('[data-testid="pieces-downloading"]').text()).toBe('2')
    expect(w.get('[data-testid="pieces-missing"]').text()).toBe('5')
    expect(w.get('[data-testid="pieces-total"]').text()).toBe('12')
    await new Promise((r) => setTimeout(r, 30)) // the scheduled draw runs and returns early
    w.unmount()
  })

  it('counts in the UI’s language and numbers', async () => {
    client.getPieces.mockResolvedValue({
      infoHash: HASH,
      pieceCount: 2000,
      have: bytesToBase64(new Uint8Array(250)),
      inProgress: [],
    })
    i18n.global.locale.value = 'de'
    try {
      const w = mount(PiecesMap, { props: { infoHash: HASH } })
      await flush()
      expect(w.get('[data-testid="pieces-total"]').text()).toBe('2.000')
      expect(w.get('[data-testid="pieces-canvas"]').attributes('aria-label')).toBe(
        'Teilekarte: 0 von 2.000 Teilen geprüft, 0 werden geladen, 2.000 fehlen',
      )
      w.unmount()
    } finally {
      i18n.global.locale.value = 'en'
    }
  })

  it('polls about once a second while mounted, and stops when unmounted', async () => {
    vi.useFakeTimers()
    try {
      let have = 0
      client.getPieces.mockImplementation(async () => ({
        infoHash: HASH,
        pieceCount: 8,
        have: bytesToBase64(new Uint8Array([(0xff00 >> have++) & 0xff])),
        inProgress: [],
      }))
      const w = mount(PiecesMap, { props: { infoHash: HASH } })
      await vi.advanceTimersByTimeAsync(10)
      expect(w.get('[data-testid="pieces-have"]').text()).toBe('0')
      await vi.advanceTimersByTimeAsync(1000)
      expect(w.get('[data-testid="pieces-have"]').text()).toBe('1')
      await vi.advanceTimersByTimeAsync(1000)
      expect(w.get('[data-testid="pieces-have"]').text()).toBe('2')
      const calls = client.getPieces.mock.calls.length
      w.unmount()
      await vi.advanceTimersByTimeAsync(5000)
      expect(client.getPieces.mock.calls.length).toBe(calls)
    } finally {
      vi.useRealTimers()
    }
  })
})
