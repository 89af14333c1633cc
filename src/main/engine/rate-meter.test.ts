import { describe, expect, it } from 'vitest'
import { ETA_WINDOW_MS, RateMeter, TorrentRates } from './rate-meter'

describe('RateMeter', () => {
  it('averages over its window and forgets what is older', () => {
    const meter = new RateMeter(5000)
    let total = 0
    for (let s = 0; s <= 10; s++) {
      total += s < 5 ? 10_000 : 1000
      meter.sample(total, s * 1000)
    }
    // Seconds 6..10 only: 1000 B each.
    expect(meter.rate()).toBe(1000)
  })

  it('is 0 before two samples, and after a reset', () => {
    const meter = new RateMeter(5000)
    expect(meter.rate()).toBe(0)
    meter.sample(500, 0)
    expect(meter.rate()).toBe(0)
    meter.sample(1500, 1000)
    expect(meter.rate()).toBe(1000)
    meter.reset()
    expect(meter.rate()).toBe(0)
  })

  it('merges samples that come too close, keeping the bytes since the baseline', () => {
    const meter = new RateMeter(5000)
    meter.sample(0, 0)
    for (let i = 1; i <= 1000; i++) meter.sample(i * 10, i * 10)
    // 10 000 B in 10 s, however many ticks asked in between.
    expect(meter.rate()).toBe(1000)
    expect((meter as unknown as { samples: unknown[] }).samples.length).toBeLessThanOrEqual(
      5000 / 250 + 2,
    )
  })

  it('starts again when the counter goes back', () => {
    const meter = new RateMeter(5000)
    meter.sample(100_000, 0)
    meter.sample(200_000, 1000)
    meter.sample(50, 2000)
    meter.sample(1050, 3000)
    expect(meter.rate()).toBe(1000)
  })
})

describe('TorrentRates', () => {
  it('gives a steady ETA for a download that swings under a global limit', () => {
    const rates = new TorrentRates()
    // The limit's budget arrives in bursts: 187 KiB in one second, then 81 B/s for three.
    const pattern = [187 * 1024, 81, 81, 81]
    const mean = pattern.reduce((a, b) => a + b) / pattern.length
    const remaining = 5 * 1024 * 1024
    let total = 0
    const etas: number[] = []
    for (let s = 0; s <= 120; s++) {
      total += pattern[s % pattern.length]!
      rates.sample(total, 0, 'downloading', s * 1000)
      if (s * 1000 > ETA_WINDOW_MS) etas.push(rates.eta('downloading', remaining)!)
    }
    const expected = remaining / mean
    // Naively (each second's bytes) it swings between 28 s and 18 hours.
    expect(Math.min(...etas)).toBeGreaterThan(0.8 * expected)
    expect(Math.max(...etas)).toBeLessThan(1.25 * expected)
  })

  it('shows no download the moment the torrent stops downloading', () => {
    const rates = new TorrentRates()
    for (let s = 0; s <= 5; s++) rates.sample(s * 1000, s * 500, 'downloading', s * 1000)
    expect(rates.downloadSpeed('downloading')).toBe(1000)
    expect(rates.eta('downloading', 10_000)).toBe(10)
    for (const status of ['seeding', 'paused', 'checking', 'error'] as const) {
      expect(rates.downloadSpeed(status)).toBe(0)
      expect(rates.eta(status, 10_000)).toBeNull()
    }
    // Finished: only uploads go on being measured.
    rates.sample(5000, 3000, 'seeding', 6000)
    expect(rates.downloadSpeed('seeding')).toBe(0)
    expect(rates.uploadSpeed('seeding')).toBe(500)
    rates.sample(5000, 3000, 'paused', 7000)
    expect(rates.uploadSpeed('paused')).toBe(0)
  })

  it('does not average a resumed download with the time it stood still', () => {
    const rates = new TorrentRates()
    rates.sample(0, 0, 'downloading', 0)
    rates.sample(2000, 0, 'downloading', 1000)
    rates.sample(2000, 0, 'paused', 2000)
    rates.sample(2000, 0, 'downloading', 3000)
    rates.sample(4000, 0, 'downloading', 4000)
    expect(rates.downloadSpeed('downloading')).toBe(2000)
  })
})
