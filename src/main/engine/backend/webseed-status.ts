/**
 * The web seeds (BEP 19) of one webtorrent torrent as the engine shows them. Seedling's webconn patch
 * gives each web seed connection a `status()`; this keeps the connections it has seen, so a web seed
 * the stack has closed still shows, with its last error, instead of vanishing from the list.
 */
import type { Torrent } from 'webtorrent'
import type { WebSeedState } from '@shared/api'
import type { WebSeedReport } from './types'
import { MAX_WEB_SEEDS_PER_TORRENT } from '@shared/tracker-list'

const STATES: ReadonlySet<string> = new Set<WebSeedState>(['active', 'idle', 'backoff', 'error'])

interface WebSeedConn {
  destroyed?: unknown
  status(): unknown
}

interface PeerLike {
  type?: unknown
  conn?: unknown
}

function isWebSeedConn(conn: unknown): conn is WebSeedConn {
  return (
    typeof conn === 'object' && conn !== null && typeof (conn as WebSeedConn).status === 'function'
  )
}

const finiteOrNull = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null

/** The patched stack's status object, checked field by field: anything unexpected reads as unknown. */
export function toWebSeedReport(raw: unknown, closed: boolean): WebSeedReport | null {
  if (typeof raw !== 'object' || raw === null) return null
  const r = raw as Record<string, unknown>
  if (typeof r.url !== 'string') return null
  const error = typeof r.error === 'string' ? r.error : null
  const state =
    typeof r.state === 'string' && STATES.has(r.state) ? (r.state as WebSeedState) : 'idle'
  return {
    url: r.url,
    state: closed ? 'error' : state,
    downloaded: Math.max(0, finiteOrNull(r.downloaded) ?? 0),
    error: closed ? (error ?? 'the connection to this web seed was closed') : error,
    retryAt: closed ? null : finiteOrNull(r.retryAt),
  }
}

export class WebSeedWatch {
  /** By URL: the latest connection the stack made for it (it makes one per URL). */
  private readonly conns = new Map<string, WebSeedConn>()

  constructor(private readonly wt: Torrent) {
    wt.on('peer', (id: unknown) => {
      if (typeof id !== 'string') return
      if (!this.conns.has(id) && this.conns.size >= MAX_WEB_SEEDS_PER_TORRENT) return
      const peers = (wt as unknown as { _peers?: Map<string, PeerLike> })._peers
      const peer = peers?.get(id)
      if (peer?.type === 'webSeed' && isWebSeedConn(peer.conn)) this.conns.set(id, peer.conn)
    })
  }

  reports(): WebSeedReport[] {
    const out: WebSeedReport[] = []
    for (const conn of this.conns.values()) {
      const report = toWebSeedReport(conn.status(), conn.destroyed === true && !this.wt.destroyed)
      if (report) out.push(report)
    }
    return out
  }
}
