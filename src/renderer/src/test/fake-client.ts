import { vi } from 'vitest'
import type { Mock } from 'vitest'
import type {
  EngineStats,
  EventName,
  SeedlingApi,
  SeedlingEvents,
  Settings,
  TorrentSummary,
} from '@shared/api'
import type { SeedlingClient } from '../api'

type Listener = (payload: never) => void

type Mocked = { [K in keyof SeedlingApi]: Mock<SeedlingApi[K]> }
const notStubbed = async (): Promise<never> => {
  throw new Error('not stubbed')
}

/** A SeedlingClient whose every method is a vi.fn, plus `emit` to push events to subscribers. */
export function fakeClient(overrides: Partial<SeedlingApi> = {}) {
  const listeners = new Map<EventName, Set<Listener>>()
  const api: Mocked = {
    listTorrents: vi.fn<SeedlingApi['listTorrents']>(async () => []),
    getTorrent: vi.fn<SeedlingApi['getTorrent']>(notStubbed),
    getPieces: vi.fn<SeedlingApi['getPieces']>(notStubbed),
    inspectTorrent: vi.fn<SeedlingApi['inspectTorrent']>(notStubbed),
    fetchTorrentUrl: vi.fn<SeedlingApi['fetchTorrentUrl']>(notStubbed),
    addTorrent: vi.fn<SeedlingApi['addTorrent']>(notStubbed),
    pauseTorrents: vi.fn<SeedlingApi['pauseTorrents']>(async () => {}),
    resumeTorrents: vi.fn<SeedlingApi['resumeTorrents']>(async () => {}),
    removeTorrent: vi.fn<SeedlingApi['removeTorrent']>(async () => {}),
    recheckTorrent: vi.fn<SeedlingApi['recheckTorrent']>(async () => {}),
    setFileSelection: vi.fn<SeedlingApi['setFileSelection']>(async () => {}),
    moveTorrent: vi.fn<SeedlingApi['moveTorrent']>(async () => {}),
    getSettings: vi.fn<SeedlingApi['getSettings']>(async () => settings()),
    updateSettings: vi.fn<SeedlingApi['updateSettings']>(async (patch) => ({
      ...settings(),
      ...patch,
    })),
    getStats: vi.fn<SeedlingApi['getStats']>(async () => stats()),
    createTorrent: vi.fn<SeedlingApi['createTorrent']>(notStubbed),
    editTrackers: vi.fn<SeedlingApi['editTrackers']>(async () => {}),
    reannounce: vi.fn<SeedlingApi['reannounce']>(async () => {}),
    editWebSeeds: vi.fn<SeedlingApi['editWebSeeds']>(async () => {}),
    setLabels: vi.fn<SeedlingApi['setLabels']>(async () => {}),
  }
  for (const [k, impl] of Object.entries(overrides)) {
    ;(api[k as keyof SeedlingApi] as Mock).mockImplementation(impl as never)
  }
  function on<K extends EventName>(
    event: K,
    listener: (payload: SeedlingEvents[K]) => void,
  ): () => void {
    let set = listeners.get(event)
    if (!set) listeners.set(event, (set = new Set()))
    set.add(listener as Listener)
    return () => set.delete(listener as Listener)
  }
  function emit<K extends EventName>(event: K, payload: SeedlingEvents[K]): void {
    for (const l of listeners.get(event) ?? []) (l as (p: SeedlingEvents[K]) => void)(payload)
  }
  const client: SeedlingClient & Mocked = { ...api, on }
  return Object.assign(client, {
    emit,
    listenerCount: (e: EventName) => listeners.get(e)?.size ?? 0,
  })
}

export function settings(over: Partial<Settings> = {}): Settings {
  return {
    downloadDir: '/downloads',
    port: 6881,
    downloadLimit: 0,
    uploadLimit: 102_400,
    maxConnections: 200,
    maxConnectionsPerTorrent: 50,
    dht: true,
    pex: true,
    lsd: false,
    natTraversal: true,
    encryption: 'prefer',
    ...over,
  }
}

export function stats(over: Partial<EngineStats> = {}): EngineStats {
  return {
    downloadSpeed: 0,
    uploadSpeed: 0,
    peers: 0,
    torrents: 0,
    downloading: 0,
    seeding: 0,
    port: 6881,
    freeSpace: null,
    webrtc: { available: false, note: null },
    sessionWarning: null,
    ...over,
  }
}

let n = 0
export function summary(over: Partial<TorrentSummary> = {}): TorrentSummary {
  n++
  const infoHash = over.infoHash ?? n.toString(16).padStart(40, '0')
  return {
    infoHash,
    name: `torrent ${n}`,
    status: 'downloading',
    paused: over.status === 'paused',
    error: null,
    hasMetadata: true,
    progress: 0.5,
    length: 1000,
    selectedLength: 1000,
    completedLength: 500,
    downloaded: 500,
    uploaded: 0,
    downloadedTotal: 500,
    uploadedTotal: 0,
    downloadSpeed: 0,
    uploadSpeed: 0,
    eta: null,
    ratio: 0,
    peers: 0,
    seeds: 0,
    addedAt: '2024-01-01T00:00:00.000Z',
    completedAt: null,
    downloadDir: '/downloads',
    magnetURI: `magnet:?xt=urn:btih:${infoHash}`,
    category: null,
    tags: [],
    ...over,
  }
}

/** Lets pending promise callbacks run. */
export const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0))
