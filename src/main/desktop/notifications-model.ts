/**
 * When to notify, as a pure decision: download complete (click reveals it) and torrent errors, only when
 * the user wants notifications and the platform has them; never for torrents that were already complete
 * when the app started, and never twice for the same completion or the same error.
 */
import type { TorrentSummary } from '@shared/api'
import type { Translate } from './i18n/translate'

export type NotificationEvent =
  { kind: 'done'; infoHash: string } | { kind: 'error'; infoHash: string; error: string }

export interface NotificationSpec {
  title: string
  body: string
  infoHash: string
  /** What a click does. */
  onClick: 'reveal' | 'show-window'
}

export interface NotificationContext {
  enabled: boolean
  supported: boolean
  nameOf(infoHash: string): string | undefined
}

export class NotificationPolicy {
  constructor(private readonly t: Translate) {}

  private readonly completeAtStart = new Set<string>()
  private readonly notifiedDone = new Set<string>()
  private readonly lastError = new Map<string, string>()

  /** The torrents as listed when the engine (re)started: those already complete never notify. */
  seed(torrents: readonly Pick<TorrentSummary, 'infoHash' | 'completedAt'>[]): void {
    for (const t of torrents) if (t.completedAt !== null) this.completeAtStart.add(t.infoHash)
  }

  forget(infoHash: string): void {
    this.completeAtStart.delete(infoHash)
    this.notifiedDone.delete(infoHash)
    this.lastError.delete(infoHash)
  }

  decide(event: NotificationEvent, ctx: NotificationContext): NotificationSpec | null {
    const { infoHash } = event
    // Remember even when not shown, so turning notifications on later does not replay old events.
    if (event.kind === 'done') {
      if (this.completeAtStart.has(infoHash) || this.notifiedDone.has(infoHash)) return null
      this.notifiedDone.add(infoHash)
      this.lastError.delete(infoHash)
    } else {
      if (this.lastError.get(infoHash) === event.error) return null
      this.lastError.set(infoHash, event.error)
    }
    if (!ctx.enabled || !ctx.supported) return null
    const name = ctx.nameOf(infoHash) ?? infoHash.slice(0, 12)
    if (event.kind === 'done')
      return { title: this.t('notify.done'), body: name, infoHash, onClick: 'reveal' }
    return {
      title: this.t('notify.error'),
      body: `${name}: ${event.error}`.slice(0, 300),
      infoHash,
      onClick: 'show-window',
    }
  }
}
