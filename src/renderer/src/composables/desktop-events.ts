import { ref } from 'vue'
import type { HostStatus, MenuCommand } from '@shared/desktop-api'
import { getClient } from '../api'
import { t } from '../i18n'
import { useUiStore } from '../stores/ui'

/**
 * Desktop-only events: application menu commands, and the engine host's state. When the host had to be
 * restarted the session was reopened from disk, so `onRestarted` re-fetches everything.
 */
export function useDesktopEvents(onRestarted: () => void) {
  const ui = useUiStore()
  const engineStatus = ref<HostStatus | null>(null)

  function onMenuCommand(command: MenuCommand): void {
    if (command === 'open-torrent') ui.requestOpenFile()
    else if (command === 'add-magnet') ui.openMagnet()
    else if (command === 'create-torrent') ui.createDialog = true
  }

  function onEngineStatus(status: HostStatus): void {
    const previous = engineStatus.value
    engineStatus.value = status
    if (status.state === 'running' && previous?.state === 'restarting') {
      ui.toast(t('connection.engineRestarted'), 'error')
      onRestarted()
    }
  }

  function listen(): () => void {
    const desktop = getClient().desktop
    if (!desktop) return () => undefined
    const offs = [desktop.onMenuCommand(onMenuCommand), desktop.onEngineStatus(onEngineStatus)]
    return () => offs.forEach((off) => off())
  }

  return { engineStatus, listen, onMenuCommand, onEngineStatus }
}
