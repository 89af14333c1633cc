/**
 * `seedling trackers|webseeds list|add|remove`: the tracker tiers or web seeds of a torrent in a saved
 * session, changed while no Seedling runs on that state folder (its lock is taken for the edit). Nothing
 * starts: no port, no announce; the next start uses the new list. A running app or `serve` edits from
 * its Trackers tab instead (the API's editTrackers and editWebSeeds).
 */
import path from 'node:path'
import { SeedlingError } from '@shared/api'
import { EditTrackersRequestSchema, EditWebSeedsRequestSchema } from '@shared/tracker-schemas'
import { dedupeTiers } from '@shared/tracker-list'
import { newEntry, trackerTiers } from '../engine/entries'
import { decodeTorrentFile } from '../engine/metainfo'
import type { TorrentRecord } from '../engine/session'
import { SessionStore } from '../engine/session'
import { acquireStateLock } from '../engine/state-lock'
import { UsageError } from './usage-error'

export type TrackersAction = 'list' | 'add' | 'remove'

export interface TrackersOptions {
  stateDir: string
  infoHash: string
  urls: string[]
  /** `add`: into this tier (1 = the first); a new last tier when absent. */
  tier?: number
}

/** Returns the lines to print: the tiers as they are after the change. */
export async function runTrackers(action: TrackersAction, opts: TrackersOptions): Promise<string[]> {
  return withSavedTorrent(action, opts, async (record, decoded, save) => {
    const infoHash = record.infoHash
    const current = trackerTiers(newEntry(record, decoded))
    if (action === 'list') return describe(current)

    const next = action === 'add' ? added(current, opts.urls, opts.tier) : removed(current, opts.urls)
    // The same checks as the API's editTrackers: URL policy and the budget.
    const parsed = EditTrackersRequestSchema.safeParse({ infoHash, tiers: next })
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new SeedlingError(issue?.message ?? 'invalid tracker list', 'invalid')
    }
    record.trackerTiers = dedupeTiers(parsed.data.tiers)
    await save()
    return describe(record.trackerTiers)
  })
}

/** The same for web seeds: `add` appends, `remove` takes out; one URL a line is printed. */
export async function runWebSeeds(action: TrackersAction, opts: TrackersOptions): Promise<string[]> {
  return withSavedTorrent(action, opts, async (record, decoded, save) => {
    const current = record.webSeeds ?? decoded?.meta.urlList ?? []
    const missing = action === 'remove' ? opts.urls.find((u) => !current.includes(u)) : undefined
    if (missing !== undefined) {
      throw new SeedlingError(`the torrent has no web seed ${missing}`, 'not-found')
    }
    if (action === 'list') return current.length > 0 ? current : ['(no web seeds)']
    const next =
      action === 'add'
        ? [...new Set([...current, ...opts.urls])]
        : current.filter((u) => !opts.urls.includes(u))
    const parsed = EditWebSeedsRequestSchema.safeParse({ infoHash: record.infoHash, urls: next })
    if (!parsed.success) {
      throw new SeedlingError(parsed.error.issues[0]?.message ?? 'invalid web seeds', 'invalid')
    }
    record.webSeeds = parsed.data.urls
    await save()
    return record.webSeeds.length > 0 ? record.webSeeds : ['(no web seeds)']
  })
}

/** Runs `fn` on the torrent's record under the state lock; `save` writes the session back. */
async function withSavedTorrent(
  action: TrackersAction,
  opts: TrackersOptions,
  fn: (
    record: TorrentRecord,
    decoded: ReturnType<typeof decodeTorrentFile> | null,
    save: () => Promise<void>,
  ) => Promise<string[]>,
): Promise<string[]> {
  if (action === 'list' && opts.urls.length > 0) throw new UsageError('list takes no URLs')
  if (action !== 'list' && opts.urls.length === 0) throw new UsageError(`${action} needs a URL`)
  const stateDir = path.resolve(opts.stateDir)
  const lock = await acquireStateLock(stateDir)
  try {
    const store = new SessionStore(stateDir)
    const { session } = await store.load()
    const infoHash = opts.infoHash.toLowerCase()
    const record = session.torrents.find((t) => t.infoHash === infoHash)
    if (!record) {
      throw new SeedlingError(`no torrent with info hash ${infoHash} in ${stateDir}`, 'not-found')
    }
    const bytes = await store.readTorrentFile(infoHash)
    const decoded = bytes ? decodeTorrentFile(bytes) : null
    return await fn(record, decoded, () => store.save(session))
  } finally {
    await lock.release()
  }
}

function added(tiers: string[][], urls: string[], tier?: number): string[][] {
  if (tier === undefined || tier > tiers.length) return [...tiers, urls]
  return tiers.map((t, i) => (i === tier - 1 ? [...t, ...urls] : t))
}

function removed(tiers: string[][], urls: string[]): string[][] {
  const missing = urls.find((u) => !tiers.some((t) => t.includes(u)))
  if (missing !== undefined) {
    throw new SeedlingError(`the torrent has no tracker ${missing}`, 'not-found')
  }
  return tiers.map((t) => t.filter((u) => !urls.includes(u)))
}

function describe(tiers: string[][]): string[] {
  if (tiers.length === 0) return ['(no trackers)']
  return tiers.flatMap((t, i) => t.map((url) => `tier ${i + 1}  ${url}`))
}
