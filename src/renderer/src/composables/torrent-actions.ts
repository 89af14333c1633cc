import type { InfoHash, InfoHashRequest } from '@shared/api'
import { getClient } from '../api'
import type { SeedlingClient } from '../api'
import { t, tn } from '../i18n'
import { useConnectionStore } from '../stores/connection'
import { useTorrentsStore } from '../stores/torrents'
import { useUiStore } from '../stores/ui'

/**
 * "Open folder" exists only in the desktop app (`client.desktop`); main resolves the path from the info
 * hash, the renderer never sends one. The browser client has no desktop API, so the action is hidden.
 */
type OpenFolder = (req: InfoHashRequest) => Promise<void>
export function openFolderMethod(client: SeedlingClient): OpenFolder | null {
  const desktop = client.desktop
  return desktop ? (req) => desktop.revealTorrent(req) : null
}

/** The actions the toolbar, context menu and shortcuts share; failures become error toasts. */
export function useTorrentActions() {
  const torrents = useTorrentsStore()
  const ui = useUiStore()
  const connection = useConnectionStore()

  /** `action` is the action's label as the toolbar shows it, so the toast names it the same way. */
  async function run(action: string, fn: () => Promise<unknown>): Promise<void> {
    // Refused now rather than queued by the client and carried out seconds later, unseen.
    if (connection.offline) {
      ui.toast(t('actions.notSent', { action }), 'error')
      return
    }
    try {
      await fn()
    } catch (err) {
      ui.toast(t('actions.failed', { action, reason: (err as Error).message }), 'error')
    }
  }

  const pause = (infoHashes: InfoHash[]): Promise<void> =>
    run(t('toolbar.pause'), () => getClient().pauseTorrents({ infoHashes }))
  const resume = (infoHashes: InfoHash[]): Promise<void> =>
    run(t('toolbar.resume'), () => getClient().resumeTorrents({ infoHashes }))
  const recheck = (infoHashes: InfoHash[]): Promise<void> =>
    run(t('toolbar.recheck'), () =>
      Promise.all(infoHashes.map((infoHash) => getClient().recheckTorrent({ infoHash }))),
    )

  /** Space: resume when every selected torrent is paused, else pause them all. */
  function togglePause(infoHashes: InfoHash[]): Promise<void> {
    const list = infoHashes.map((h) => torrents.byHash.get(h)).filter((t) => t !== undefined)
    if (!list.length) return Promise.resolve()
    return list.every((t) => t.paused) ? resume(infoHashes) : pause(infoHashes)
  }

  function canOpenFolder(): boolean {
    try {
      return openFolderMethod(getClient()) !== null
    } catch {
      return false
    }
  }
  function openFolder(infoHash: InfoHash): Promise<void> {
    return run(t('toolbar.openFolder'), async () => {
      const fn = openFolderMethod(getClient())
      if (fn) await fn({ infoHash })
    })
  }

  async function copyMagnet(infoHashes: InfoHash[]): Promise<void> {
    const links = infoHashes.map((h) => torrents.byHash.get(h)?.magnetURI).filter((m) => !!m)
    if (!links.length) return
    try {
      await navigator.clipboard.writeText(links.join('\n'))
      ui.toast(tn('actions.magnetCopied', links.length))
    } catch (err) {
      ui.toast(t('actions.copyFailed', { reason: (err as Error).message }), 'error')
    }
  }

  return {
    pause,
    resume,
    recheck,
    togglePause,
    canOpenFolder,
    openFolder,
    copyMagnet,
    remove: ui.confirmRemove,
    labels: ui.openLabels,
  }
}
