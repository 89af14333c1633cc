/**
 * OS notifications about the engine (a download complete, a torrent error, the engine given up) and the
 * close-to-tray hint. What to show is decided by notifications-model.ts; clicks reveal or show the window.
 */
import type { TorrentSummary } from '@shared/api'
import type { DesktopSettings, HostStatus } from '@shared/desktop-api'
import type { NotificationEvent, NotificationPolicy } from './notifications-model'
import type { TorrentIndex } from './tray-model'
import type { Translate } from './i18n/translate'

export interface NotificationsDeps {
  policy: NotificationPolicy
  torrents: Pick<TorrentIndex, 'get'>
  settings: { get(): DesktopSettings }
  supported(): boolean
  show(spec: { title: string; body: string }, onClick: () => void): void
  revealData(infoHash: string): Promise<void>
  showWindow(): void
  t: Translate
}

export class NotificationsController {
  constructor(private readonly deps: NotificationsDeps) {}

  /** The torrents as listed when the engine (re)started: those already complete never notify. */
  seed(list: readonly TorrentSummary[]): void {
    this.deps.policy.seed(list)
  }

  forget(infoHash: string): void {
    this.deps.policy.forget(infoHash)
  }

  engineEvent(event: NotificationEvent): void {
    const { deps } = this
    const spec = deps.policy.decide(event, {
      enabled: deps.settings.get().notifications,
      supported: deps.supported(),
      nameOf: (h) => deps.torrents.get(h)?.name,
    })
    if (!spec) return
    const onClick =
      spec.onClick === 'reveal'
        ? () => void deps.revealData(spec.infoHash).catch(() => deps.showWindow())
        : () => deps.showWindow()
    deps.show(spec, onClick)
  }

  engineFailed(status: HostStatus): void {
    this.deps.show(
      {
        title: this.deps.t('notify.engineGaveUp'),
        body: this.deps.t('notify.engineGaveUpBody', { reason: status.reason ?? 'unknown' }),
      },
      () => this.deps.showWindow(),
    )
  }

  stillRunning(): void {
    this.deps.show(
      {
        title: this.deps.t('notify.stillRunning'),
        body: this.deps.t('notify.stillRunningBody'),
      },
      () => this.deps.showWindow(),
    )
  }
}
