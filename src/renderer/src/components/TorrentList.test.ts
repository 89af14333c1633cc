import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setClient } from '../api'
import { useSelectionStore } from '../stores/selection'
import { useTorrentsStore } from '../stores/torrents'
import { useUiStore } from '../stores/ui'
import { fakeClient, summary } from '../test/fake-client'
import FilterBar from './FilterBar.vue'
import Sidebar from './Sidebar.vue'
import TorrentList from './TorrentList.vue'

beforeEach(() => {
  setActivePinia(createPinia())
  setClient(fakeClient())
})

const names = (w: ReturnType<typeof mount>): string[] =>
  w.findAll('[data-testid="torrent-name"]').map((n) => n.text())

describe('TorrentList', () => {
  it('renders names as text, never as HTML', () => {
    const evil = '<img src=x onerror=alert(1)>'
    useTorrentsStore().replaceAll([summary({ name: evil })])
    const w = mount(TorrentList)
    const cell = w.get('[data-testid="torrent-name"]')
    expect(cell.text()).toBe(evil)
    expect(cell.element.querySelector('img')).toBeNull()
    expect(w.element.querySelector('img')).toBeNull()
  })

  it('shows invisible direction characters as escapes', () => {
    useTorrentsStore().replaceAll([summary({ name: 'movie\u202eexe.mp4' })])
    const w = mount(TorrentList)
    expect(w.get('[data-testid="torrent-name"]').text()).toBe('movie\\u202eexe.mp4')
  })

  it('sorts by a column when its header is clicked, and reverses on a second click', async () => {
    useTorrentsStore().replaceAll([
      summary({ name: 'b', length: 1 }),
      summary({ name: 'a', length: 3 }),
      summary({ name: 'c', length: 2 }),
    ])
    const w = mount(TorrentList)
    await w.get('[data-testid="sort-name"]').trigger('click')
    expect(names(w)).toEqual(['a', 'b', 'c'])
    expect(
      w.get('[data-testid="sort-name"]').element.parentElement?.getAttribute('aria-sort'),
    ).toBe('ascending')
    await w.get('[data-testid="sort-name"]').trigger('click')
    expect(names(w)).toEqual(['c', 'b', 'a'])
    await w.get('[data-testid="sort-length"]').trigger('click')
    expect(names(w)).toEqual(['a', 'c', 'b'])
  })

  it('filters by status and by text', async () => {
    useTorrentsStore().replaceAll([
      summary({ name: 'ubuntu', status: 'seeding', progress: 1 }),
      summary({ name: 'debian', status: 'paused' }),
      summary({ name: 'fedora', status: 'downloading' }),
    ])
    const list = mount(TorrentList)
    const bar = mount(FilterBar)
    const sidebar = mount(Sidebar)
    await sidebar.get('[data-testid="filter-paused"]').trigger('click')
    expect(names(list)).toEqual(['debian'])
    await sidebar.get('[data-testid="filter-all"]').trigger('click')
    await bar.get('[data-testid="filter-text"]').setValue('ORA')
    expect(names(list)).toEqual(['fedora'])
  })

  it('selects with click, ctrl-click and shift-click', async () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => summary({ name }))
    const store = useTorrentsStore()
    store.replaceAll([a!, b!, c!, d!])
    store.sortBy('name')
    const w = mount(TorrentList)
    const rows = (): ReturnType<typeof w.findAll> => w.findAll('[data-testid="torrent-row"]')
    await rows()[0]!.get('[data-testid="torrent-name"]').trigger('click')
    await rows()[2]!.trigger('click', { ctrlKey: true })
    const sel = useSelectionStore()
    expect([...sel.selected].sort()).toEqual([a!.infoHash, c!.infoHash].sort())
    await rows()[3]!.trigger('click', { shiftKey: true })
    expect([...sel.selected].sort()).toEqual([c!.infoHash, d!.infoHash].sort())
    expect(rows()[3]!.attributes('aria-selected')).toBe('true')
    expect(rows()[0]!.attributes('aria-selected')).toBe('false')
  })

  it('renders only a window of 1,000 rows and updates a row in place from a delta', async () => {
    const list = Array.from({ length: 1000 }, (_, i) =>
      summary({ name: `t${String(i).padStart(4, '0')}` }),
    )
    const store = useTorrentsStore()
    store.replaceAll(list)
    store.sortBy('name')
    const w = mount(TorrentList)
    const rendered = w.findAll('[data-testid="torrent-row"]')
    expect(rendered.length).toBeGreaterThan(10)
    expect(rendered.length).toBeLessThan(100)
    // The header row is the grid's first row.
    expect(w.get('[role="grid"]').attributes('aria-rowcount')).toBe('1001')
    store.apply([{ ...list[0]!, progress: 0.75, status: 'paused' }])
    await w.vm.$nextTick()
    const first = w.findAll('[data-testid="torrent-row"]')[0]!
    expect(first.get('[data-testid="torrent-progress"]').text()).toBe('75.0%')
    expect(first.get('[data-testid="torrent-status"]').text()).toBe('Paused')
  })

  it('filters by tracker host from the sidebar, with counts', async () => {
    const magnet = (host: string): string =>
      `magnet:?xt=urn:btih:${'0'.repeat(40)}&tr=${encodeURIComponent(`http://${host}/announce`)}`
    useTorrentsStore().replaceAll([
      summary({ name: 'one', magnetURI: magnet('a.test') }),
      summary({ name: 'two', magnetURI: magnet('b.test') }),
      summary({ name: 'three', magnetURI: magnet('a.test') }),
    ])
    const list = mount(TorrentList)
    const sidebar = mount(Sidebar)
    const hosts = sidebar.findAll('[data-testid="tracker-host"]')
    expect(hosts.map((h) => h.text())).toEqual(['a.test: 2', 'b.test: 1'])
    await hosts[1]!.trigger('click')
    expect(names(list)).toEqual(['two'])
    expect(hosts[1]!.attributes('aria-pressed')).toBe('true')
    await sidebar.get('[data-testid="tracker-all"]').trigger('click')
    expect(names(list)).toHaveLength(3)
  })

  it('keeps the column headers in a row inside the grid', () => {
    useTorrentsStore().replaceAll([summary({ name: 'a' })])
    const w = mount(TorrentList)
    const grid = w.get('[role="grid"]').element
    for (const header of w.findAll('[role="columnheader"]')) {
      expect(header.element.parentElement?.getAttribute('role')).toBe('row')
      expect(grid.contains(header.element)).toBe(true)
    }
  })

  it('Shift+F10 opens the context menu for the selection; Enter asks for the details', async () => {
    const t = summary({ name: 'a' })
    useTorrentsStore().replaceAll([t])
    const w = mount(TorrentList, { attachTo: document.body })
    const grid = w.get('[role="grid"]')
    await grid.trigger('keydown', { key: 'ArrowDown' })
    expect(useSelectionStore().hashes).toEqual([t.infoHash])
    await grid.trigger('keydown', { key: 'F10', shiftKey: true })
    expect(w.find('[role="menu"]').exists()).toBe(true)
    const ui = useUiStore()
    const before = ui.detailsFocusRequest
    await grid.trigger('keydown', { key: 'Enter' })
    expect(ui.detailsFocusRequest).toBe(before + 1)
    w.unmount()
  })
})
