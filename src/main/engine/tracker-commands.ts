/**
 * The tracker and web seed commands of the API: replacing a torrent's tracker tiers or web seeds (kept
 * in the session, applied to a running torrent at once) and announcing now.
 */
import type { EditTrackersRequest, EditWebSeedsRequest, ReannounceRequest } from '@shared/api'
import { SeedlingError } from '@shared/api'
import { dedupeTiers } from '@shared/tracker-list'
import { TrackerTiers } from './backend/tracker-tiers'
import type { TorrentEntries } from './entries'
import { trackerUrls } from './entries'
import type { SessionWriter } from './persistence'

export interface TrackerCommandDeps {
  entries: TorrentEntries
  writer: SessionWriter
  tick(): void
}

export class TrackerCommands {
  constructor(private readonly d: TrackerCommandDeps) {}

  async editTrackers({ infoHash, tiers }: EditTrackersRequest): Promise<void> {
    const entry = this.d.entries.get(infoHash)
    const clean = dedupeTiers(tiers)
    entry.record.trackerTiers = clean
    entry.tierOrder = new TrackerTiers(clean)
    const urls = clean.flat()
    // What a removed tracker said last is not shown against a list it is no longer in.
    for (const url of [...entry.trackers.keys()]) if (!urls.includes(url)) entry.trackers.delete(url)
    entry.torrent?.setTrackers(urls, entry.tierOrder)
    await this.d.writer.save(false)
    this.d.tick()
  }

  /** Every torrent is checked before any announces, so a bad one in a list changes nothing. */
  async reannounce({ infoHashes, tracker }: ReannounceRequest): Promise<void> {
    const entries = infoHashes.map((h) => this.d.entries.get(h))
    for (const entry of entries) {
      const name = entry.record.name
      if (!entry.torrent) {
        throw new SeedlingError(`"${name}" is not running: resume it to announce`, 'invalid')
      }
      if (tracker !== undefined && !trackerUrls(entry).includes(tracker)) {
        throw new SeedlingError(`"${name}" has no tracker ${tracker}`, 'not-found')
      }
      if (tracker === undefined && trackerUrls(entry).length === 0) {
        throw new SeedlingError(`"${name}" has no trackers to announce to`, 'invalid')
      }
    }
    for (const entry of entries) entry.torrent!.reannounce(tracker ?? null)
  }

  async editWebSeeds({ infoHash, urls }: EditWebSeedsRequest): Promise<void> {
    const entry = this.d.entries.get(infoHash)
    const clean = [...new Set(urls)]
    entry.record.webSeeds = clean
    entry.torrent?.setWebSeeds(clean)
    await this.d.writer.save(false)
    this.d.tick()
  }
}
