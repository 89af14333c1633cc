/**
 * Transfer rates from payload byte counters sampled at each tick, and the ETA from them.
 *
 * A rate is the average over a sliding window: (bytes at the newest sample - bytes at the oldest) /
 * the time between them. Under a global limit the stack hands the budget to one torrent in bursts, so
 * one tick's bytes swing from a few bytes to the whole limit; the windows absorb that.
 */
import type { TorrentStatus } from '@shared/api'

/**
 * The speeds shown: five seconds, libtorrent's payload-rate average, so a change in speed shows within
 * a few ticks while one-tick bursts are spread over five.
 */
export const SPEED_WINDOW_MS = 5_000
/**
 * The ETA: thirty seconds, as qBittorrent's ETA averages its last thirty one-second samples. A time
 * to finish that jumps with every burst or gap is worse than one that is slow to follow a real change.
 */
export const ETA_WINDOW_MS = 30_000
/** Commands tick at will: samples closer than this are merged, so a window holds a bounded number. */
const MIN_GAP_MS = 250

interface Sample {
  at: number
  total: number
}

export class RateMeter {
  private samples: Sample[] = []

  constructor(private readonly windowMs: number) {}

  /** Records a counter that only grows (`total` bytes) at `at` ms on a monotonic clock. */
  sample(total: number, at: number): void {
    const last = this.samples.at(-1)
    if (last && (total < last.total || at < last.at)) this.samples = []
    // Every gap but the newest stays at least MIN_GAP_MS: a newest sample that came too soon after
    // the one before it gives way to this one.
    const prev = this.samples.at(-2)
    if (prev && last && last.at - prev.at < MIN_GAP_MS) this.samples.pop()
    this.samples.push({ at, total })
    // Keep one sample at or before the window's start, as the baseline.
    while (this.samples.length > 2 && this.samples[1]!.at <= at - this.windowMs) this.samples.shift()
  }

  /** Bytes per second over the window; 0 before two samples. */
  rate(): number {
    const first = this.samples[0]
    const last = this.samples.at(-1)
    if (!first || !last || last.at <= first.at) return 0
    return ((last.total - first.total) * 1000) / (last.at - first.at)
  }

  /** Forgets the history: the next rate starts from the next sample. */
  reset(): void {
    this.samples = []
  }
}

/** One torrent's meters. Only payload counts: protocol messages are no download. */
export class TorrentRates {
  private readonly down = new RateMeter(SPEED_WINDOW_MS)
  private readonly up = new RateMeter(SPEED_WINDOW_MS)
  private readonly etaDown = new RateMeter(ETA_WINDOW_MS)

  /**
   * Samples the all-time payload totals. Outside `downloading` (paused, finished, checking, failed)
   * the download history is dropped, so the speed is zero at once and a resumed download does not
   * average in the time it stood still; without a torrent in the stack nothing is sent either.
   */
  sample(downloaded: number, uploaded: number, status: TorrentStatus, at: number): void {
    if (status === 'downloading') {
      this.down.sample(downloaded, at)
      this.etaDown.sample(downloaded, at)
    } else {
      this.down.reset()
      this.etaDown.reset()
    }
    if (status === 'downloading' || status === 'seeding') this.up.sample(uploaded, at)
    else this.up.reset()
  }

  downloadSpeed(status: TorrentStatus): number {
    return status === 'downloading' ? Math.round(this.down.rate()) : 0
  }

  uploadSpeed(status: TorrentStatus): number {
    return status === 'downloading' || status === 'seeding' ? Math.round(this.up.rate()) : 0
  }

  /** Seconds until `remaining` bytes are in at the long-window rate; null when it cannot be told. */
  eta(status: TorrentStatus, remaining: number): number | null {
    const rate = this.etaDown.rate()
    if (status !== 'downloading' || remaining <= 0 || rate <= 0) return null
    return Math.ceil(remaining / rate)
  }
}
