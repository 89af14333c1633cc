import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setClient } from '../api'
import { useSelectionStore } from './selection'
import { useStatsStore } from './stats'
import { useTorrentsStore } from './torrents'
import { useUiStore } from './ui'
import { useConnectionStore } from './connection'
import { useTorrentActions } from '../composables/torrent-actions'
import { fakeClient, flush, summary } from '../test/fake-client'
import StatusBar from '../components/StatusBar.vue'
import Toolbar from '../components/Toolbar.vue'
import ContextMenu from '../components/ContextMenu.vue'

/** A client that reports its connection like the WebSocket client: a flag and change events. */
function connectingClient() {
  const listeners = new Set<(up: boolean) => void>()
  const c = Object.assign(fakeClient(), {
    connected: true,
    onConnectionChange(listener: (up: boolean) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    setConnected(up: boolean) {
      c.connected = up
      for (const l of listeners) l(up)
    },
  })
  return c
}

let client: ReturnType<typeof connectingClient>
beforeEach(() => {
  setActivePinia(createPinia())
  client = connectingClient()
  setClient(client)
})
afterEach(() => {
  useConnectionStore().stop()
})

describe('connection state', () => {
  it('goes offline when the socket drops and calls the reconnect hook once it is back', () => {
    const conn = useConnectionStore()
    const reconnected = vi.fn()
    conn.watchClient(client, reconnected)
    expect(conn.state).toBe('online')
    expect(conn.message).toBeNull()

    client.setConnected(false)
    expect(conn.state).toBe('offline')
    expect(conn.message).toBe('Disconnected — reconnecting…')
    expect(reconnected).not.toHaveBeenCalled()

    client.setConnected(true)
    expect(conn.state).toBe('online')
    expect(reconnected).toHaveBeenCalledTimes(1)
  })

  it('counts a connection that lasted a moment: opened and closed between any two looks', () => {
    client.connected = false
    const conn = useConnectionStore()
    conn.watchClient(client, () => undefined)
    expect(conn.state).toBe('connecting')
    client.setConnected(true)
    client.setConnected(false)
    expect(conn.state).toBe('offline')
  })

  it('is "connecting", not offline, before the socket first opens', () => {
    client.connected = false
    const conn = useConnectionStore()
    conn.check(client)
    expect(conn.state).toBe('connecting')
    expect(conn.offline).toBe(false)
  })

  it('treats a client without a connected flag (the desktop bridge) as connected', () => {
    const conn = useConnectionStore()
    conn.check(fakeClient())
    expect(conn.state).toBe('online')
  })

  it('shows a restarting desktop engine as the same offline state', () => {
    const conn = useConnectionStore()
    conn.check(client)
    conn.setEngineStatus({ state: 'restarting', reason: 'killed', restarts: 1 })
    expect(conn.offline).toBe(true)
    expect(conn.message).toContain('restarting')
    conn.setEngineStatus({ state: 'failed', reason: 'boom', restarts: 3 })
    expect(conn.message).toContain('could not be restarted: boom')
    conn.setEngineStatus({ state: 'running', reason: 'killed', restarts: 1 })
    expect(conn.offline).toBe(false)
  })

  it('refuses actions while offline with an error toast instead of queueing them', async () => {
    const conn = useConnectionStore()
    conn.check(client)
    conn.setTransport(false)
    const actions = useTorrentActions()
    await actions.pause(['a'.repeat(40)])
    expect(client.pauseTorrents).not.toHaveBeenCalled()
    expect(useUiStore().toasts.at(-1)).toMatchObject({ kind: 'error' })
    expect(useUiStore().toasts.at(-1)!.message).toContain('not connected')

    conn.setTransport(true)
    await actions.pause(['a'.repeat(40)])
    expect(client.pauseTorrents).toHaveBeenCalledTimes(1)
  })

  it('disables engine actions in the toolbar and context menu, and greys the status bar', async () => {
    const t = summary()
    useTorrentsStore().replaceAll([t])
    useSelectionStore().selectOnly(t.infoHash)
    useStatsStore().stats = await client.getStats()
    const conn = useConnectionStore()
    conn.check(client)
    const toolbar = mount(Toolbar)
    const status = mount(StatusBar)
    const menu = mount(ContextMenu, { props: { x: 0, y: 0 }, attachTo: document.body })
    const pause = () => toolbar.get('[data-testid="pause-button"]')
    expect(pause().attributes('disabled')).toBeUndefined()

    conn.setTransport(false)
    await flush()
    expect(pause().attributes('disabled')).toBeDefined()
    expect(toolbar.get('[data-testid="add-magnet"]').attributes('disabled')).toBeDefined()
    // Copying a magnet link needs no engine.
    expect(toolbar.get('[data-testid="copy-magnet-button"]').attributes('disabled')).toBeUndefined()
    expect(menu.get('[data-testid="menu-pause"]').attributes('disabled')).toBeDefined()
    expect(menu.get('[data-testid="menu-copy-magnet"]').attributes('disabled')).toBeUndefined()
    expect(status.get('[data-testid="status-offline"]').text()).toBe('Disconnected')
    expect(status.get('[data-testid="status-down"]').classes()).toContain('stale')
    expect(status.get('[data-testid="status-down"]').attributes('aria-label')).toContain(
      'Last known',
    )

    conn.setTransport(true)
    await flush()
    expect(pause().attributes('disabled')).toBeUndefined()
    expect(status.find('[data-testid="status-offline"]').exists()).toBe(false)
    menu.unmount()
  })
})
