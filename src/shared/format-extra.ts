/** More renderer-neutral formatting (no Node imports): ratios, percentages, dates, speed-limit units. */

/** `0.00`, `1.25`, `∞` for an infinite ratio. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return ratio > 0 ? '∞' : '?'
  return ratio.toFixed(2)
}

/** 0..1 as `42.5%`; exactly `100%` only when complete, so 99.96% never shows as done. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '?'
  const p = Math.max(0, Math.min(1, fraction)) * 100
  if (p >= 100) return '100%'
  return `${Math.min(99.9, Math.floor(p * 10) / 10).toFixed(1)}%`
}

/** An ISO date as `2024-05-01 13:45` in local time; `—` when absent or invalid. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

/** Speed limits are KiB/s in the UI and bytes/s in the API; 0 means unlimited in both. */
export function kibToBytesPerSecond(kib: number): number {
  if (!Number.isFinite(kib) || kib <= 0) return 0
  return Math.round(kib * 1024)
}

export function bytesToKibPerSecond(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes <= 0) return 0
  return Math.round((bytes / 1024) * 100) / 100
}
