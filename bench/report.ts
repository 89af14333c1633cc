// The bench's printed tables: one per section, then one table of every target as a ratio or figure.
import { cpus } from 'node:os'
import type { CreateBenchResult } from './create'
import type { DownloadBenchResult } from './download'
import type { Usage } from './measure'
import { round } from './measure'
import type { RecheckBenchResult } from './recheck'
import type { ScaleBenchResult } from './scale'
import type { SeedRssResult } from './seed-rss'

export function fmt(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined ? 'n/a' : n.toFixed(digits)
}

function fmtRatio(n: number | null | undefined): string {
  return n === null || n === undefined ? 'n/a' : `${n.toFixed(2)}x`
}

export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null
  return round(a / b, 2)
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

function usageCells(u: Usage | undefined): string[] {
  if (!u) return ['not available', '', '']
  return [fmt(u.wallMs / 1000, 2), fmt(u.cpuS, 2), fmt(u.peakRssMiB, 0)]
}

export interface Ratios {
  [key: string]: number | null
}

/** One line of the final table: a measured figure against its target. */
export interface TargetRow {
  what: string
  value: number | null
  unit: string
  target: string
  met: boolean | null
}

export function reportDownload(r: DownloadBenchResult): Ratios {
  const rows = r.clients.map((c) =>
    c.median
      ? [
          c.client,
          fmt(c.median.mibPerS),
          fmt(c.median.transferMiBPerS),
          fmt(c.median.firstByteMs === null ? null : c.median.firstByteMs / 1000, 2),
          ...usageCells(c.median),
          String(c.runs.length),
        ]
      : [`${c.client}: not available`, '-', '-', '-', '-', '-', '-', '0'],
  )
  console.log(
    `\n(a) download ${r.sizeMiB} MiB over 127.0.0.1 from ${r.seeder}, ` +
      `piece length ${r.pieceLength / 1024} KiB (median of runs)\n`,
  )
  const headers = ['client', 'MiB/s', 'transfer MiB/s', '1st byte s', 'wall s', 'CPU s']
  console.log(table([...headers, 'peak RSS MiB', 'runs'], rows))
  console.log(
    'MiB/s = size / wall (spawn to exit; qbittorrent-nox: add to complete); transfer MiB/s = size / ' +
      '(exit - first data block on disk)',
  )
  const [s, a, q] = r.clients.map((c) => c.median)
  const ratios: Ratios = {
    throughput: ratio(s?.mibPerS, a?.mibPerS),
    transferThroughput: ratio(s?.transferMiBPerS, a?.transferMiBPerS),
    cpu: ratio(s?.cpuS, a?.cpuS),
    peakRss: ratio(s?.peakRssMiB, a?.peakRssMiB),
    peakRssMiB: s?.peakRssMiB ?? null,
    throughputVsQbt: ratio(s?.mibPerS, q?.mibPerS),
    cpuVsQbt: ratio(s?.cpuS, q?.cpuS),
  }
  console.log(
    `\nSeedling/aria2c: throughput ${fmtRatio(ratios.throughput)} (higher is better), ` +
      `(transfer phase ${fmtRatio(ratios.transferThroughput)}), ` +
      `CPU ${fmtRatio(ratios.cpu)}, peak RSS ${fmtRatio(ratios.peakRss)} (lower is better); ` +
      `Seedling/qbittorrent-nox: throughput ${fmtRatio(ratios.throughputVsQbt)}, CPU ${fmtRatio(ratios.cpuVsQbt)}`,
  )
  return ratios
}

export function reportCreate(r: CreateBenchResult): Ratios {
  const rows = r.tools.map((t) =>
    t.median
      ? [
          t.tool,
          t.startupOnly ? '-' : fmt(t.median.mibPerS),
          ...usageCells(t.median),
          String(t.runs.length),
        ]
      : [`${t.tool}: not available`, '-', '-', '-', '-', '0'],
  )
  console.log(
    `\n(b) create a .torrent of ${r.sizeMiB} MiB (one file, page cache warm), ` +
      `piece length ${r.pieceLength / 1024} KiB (median of runs)\n`,
  )
  console.log(table(['tool', 'MiB/s', 'wall s', 'CPU s', 'peak RSS MiB', 'runs'], rows))
  const [s, mk1, mkN] = r.tools.map((t) => t.median)
  const ratios: Ratios = {
    wallVsMktorrent1: ratio(s?.wallMs, mk1?.wallMs),
    wallVsMktorrentN: ratio(s?.wallMs, mkN?.wallMs),
    cpuVsMktorrent1: ratio(s?.cpuS, mk1?.cpuS),
    peakRssVsMktorrent1: ratio(s?.peakRssMiB, mk1?.peakRssMiB),
  }
  console.log(
    `\nSeedling/mktorrent (lower is better): time ${fmtRatio(ratios.wallVsMktorrent1)} vs -t 1, ` +
      `${fmtRatio(ratios.wallVsMktorrentN)} vs -t ${cpus().length}; CPU ${fmtRatio(ratios.cpuVsMktorrent1)}; ` +
      `peak RSS ${fmtRatio(ratios.peakRssVsMktorrent1)}. Same info hash: ` +
      `${r.sameInfoHash === null ? 'n/a' : r.sameInfoHash ? 'yes' : 'NO'}`,
  )
  return ratios
}

export function reportRecheck(r: RecheckBenchResult): Ratios {
  console.log(
    `\n(c) recheck ${r.sizeMiB} MiB (one file, page cache warm), piece length ` +
      `${r.pieceLength / 1024} KiB (median of runs)\n`,
  )
  const rows = r.clients.map((c) => [
    c.client,
    fmt(c.median?.mibPerS),
    fmt(c.median ? c.median.ms / 1000 : null, 2),
    fmt(c.median?.cpuS, 2),
    fmt(c.peakRssMiB, 0),
    String(c.runs.length),
  ])
  console.log(table(['client', 'MiB/s', 'wall s', 'CPU s', 'peak RSS MiB', 'runs'], rows))
  const [s, t] = r.clients.map((c) => c.median)
  return { wallVsTransmission: ratio(s?.ms, t?.ms), cpuVsTransmission: ratio(s?.cpuS, t?.cpuS) }
}

export function reportScale(r: ScaleBenchResult): Ratios {
  console.log(`\n(d) ${r.torrents} torrents of ${r.fileKiB} KiB seeding in one session\n`)
  const clients = [r.seedling, ...(r.transmission ? [r.transmission] : [])]
  const rows = clients.map((c) => [
    c.client,
    fmt(c.firstStartMs / 1000, 2),
    fmt(c.restartToSeedingMs / 1000, 2),
    fmt(c.afterRestart.rssMiB, 0),
    String(c.fdsAtTenth),
    String(c.atN.fds),
    String(c.afterRestart.fds),
  ])
  const headers = ['client', 'first start s', 'restart to seeding s', 'RSS MiB']
  console.log(
    table(
      [
        ...headers,
        `fds at ${Math.floor(r.torrents / 10)}`,
        `fds at ${r.torrents}`,
        'fds after restart',
      ],
      rows,
    ),
  )
  if (!r.transmission) console.log(`transmission-daemon: not available (${r.transmissionError})`)
  const st = r.seedling.steady
  console.log(
    `Seedling at ${r.torrents} seeding: tick mean ${st.tickMeanMs} ms, max ${st.tickMaxMs} ms (${st.ticks} ticks); ` +
      `event-loop delay p50 ${st.loopDelayP50Ms} ms, p99 ${st.loopDelayP99Ms} ms, max ${st.loopDelayMaxMs} ms`,
  )
  return {
    rssVsTransmission: ratio(r.seedling.afterRestart.rssMiB, r.transmission?.afterRestart.rssMiB),
    restartVsTransmission: ratio(r.seedling.restartToSeedingMs, r.transmission?.restartToSeedingMs),
    fdsAtNOverTenth: ratio(
      Math.max(r.seedling.atN.fds, r.seedling.afterRestart.fds),
      r.seedling.fdsAtTenth,
    ),
    tickMeanMs: st.tickMeanMs,
    tickMaxMs: st.tickMaxMs,
    loopDelayP99Ms: st.loopDelayP99Ms,
  }
}

export function reportSeed(r: SeedRssResult): Ratios {
  console.log(
    `\n(e) seeding ${r.sizeMiB} MiB to aria2c for ${r.durationS} s: ${r.downloads} downloads ` +
      `(${r.failedDownloads} stalled), ${r.uploadedMiB} MiB uploaded; RSS ${r.firstRssMiB} -> ` +
      `${r.lastRssMiB} MiB (max ${r.maxRssMiB}); slope after the first quarter ${r.slopeMiBPerMin} MiB/min`,
  )
  return { slopeMiBPerMin: r.slopeMiBPerMin, firstRssMiB: r.firstRssMiB }
}

function row(
  what: string,
  value: number | null,
  unit: string,
  target: string,
  ok: (v: number) => boolean,
): TargetRow {
  return { what, value, unit, target, met: value === null ? null : ok(value) }
}

/** The targets, each from this run's figures. */
export function targetRows(all: Record<string, Ratios | undefined>): TargetRow[] {
  const d = all.download
  const c = all.recheck
  const s = all.scale
  const e = all.seed
  const rows: TargetRow[] = []
  if (d) {
    rows.push(
      row('download speed, Seedling / aria2c', d.throughput ?? null, 'x', '>= 1.0', (v) => v >= 1),
    )
    rows.push(row('download CPU, Seedling / aria2c', d.cpu ?? null, 'x', '<= 2.0', (v) => v <= 2))
    rows.push(
      row('download peak RSS, Seedling', d.peakRssMiB ?? null, 'MiB', '<= 100', (v) => v <= 100),
    )
    rows.push(
      row(
        'download speed, Seedling / qbittorrent-nox',
        d.throughputVsQbt ?? null,
        'x',
        '(reference)',
        () => true,
      ),
    )
  }
  if (c)
    rows.push(
      row(
        'recheck time, Seedling / transmission',
        c.wallVsTransmission ?? null,
        'x',
        '<= 1.0',
        (v) => v <= 1,
      ),
    )
  if (s) {
    rows.push(
      row(
        'tick duration at N torrents (mean)',
        s.tickMeanMs ?? null,
        'ms',
        '<= 10',
        (v) => v <= 10,
      ),
    )
    rows.push(
      row(
        'event-loop delay p99 at N torrents',
        s.loopDelayP99Ms ?? null,
        'ms',
        '<= 50',
        (v) => v <= 50,
      ),
    )
    rows.push(
      row(
        'RSS at N torrents, Seedling / transmission',
        s.rssVsTransmission ?? null,
        'x',
        '<= 3.0',
        (v) => v <= 3,
      ),
    )
    rows.push(
      row(
        'open fds at N / at N/10 torrents',
        s.fdsAtNOverTenth ?? null,
        'x',
        '<= 1.5 (no growth)',
        (v) => v <= 1.5,
      ),
    )
    rows.push(
      row(
        'restart to seeding, Seedling / transmission',
        s.restartVsTransmission ?? null,
        'x',
        '(reference)',
        () => true,
      ),
    )
  }
  if (e) {
    // "No growth over a 30-minute seed": the measured slope, extrapolated, stays under 10% of the start.
    const slope = e.slopeMiBPerMin ?? null
    const growth30 = slope === null ? null : round(slope * 30, 1)
    const limit = round((e.firstRssMiB ?? 0) * 0.1, 1)
    rows.push(
      row(
        'seed RSS growth over 30 min (extrapolated)',
        growth30,
        'MiB',
        `<= ${limit} (10% of start)`,
        (v) => v <= limit,
      ),
    )
  }
  return rows
}

export function reportTargets(rows: TargetRow[]): void {
  console.log('\nTargets (issue 9), this run:\n')
  console.log(
    table(
      ['measure', 'value', 'target', 'met'],
      rows.map((r) => [
        r.what,
        r.value === null ? 'n/a' : `${r.value} ${r.unit}`,
        r.target,
        r.met === null ? 'n/a' : r.met ? 'yes' : 'NO',
      ]),
    ),
  )
}
