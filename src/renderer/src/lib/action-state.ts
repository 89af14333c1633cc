import type { TorrentSummary } from '@shared/api'

/** Which torrent actions make sense for a selection: a toolbar button is enabled only when it would do something. */
export interface ActionState {
  /** Something selected is not paused: running, checking, or in error (pausing stops the retries). */
  canPause: boolean
  /** Something selected is paused, or in error, where resuming retries. */
  canResume: boolean
  /** Something selected has its metadata: the engine cannot recheck before. */
  canRecheck: boolean
}

export function actionState(selected: readonly TorrentSummary[]): ActionState {
  return {
    // By the flag, not the status: a paused torrent whose data is being checked shows 'checking'.
    canPause: selected.some((t) => !t.paused),
    canResume: selected.some((t) => t.paused || t.status === 'error'),
    canRecheck: selected.some((t) => t.hasMetadata),
  }
}

/** The platform's name for the shortcut modifier, for tooltips ("Ctrl+O", "⌘O"). */
export function shortcutLabel(key: string, isMac: boolean, withMod = true): string {
  if (!withMod) return key
  return isMac ? `⌘${key}` : `Ctrl+${key}`
}
