/** The desktop-only API (window.seedling.desktop), served by the controllers; ipc.ts registers it. */
import { DesktopSettingsPatchSchema } from '@shared/desktop-settings-schema'
import type { DesktopHandlers } from './ipc'
import type { DesktopSettingsController } from './desktop-settings-controller'
import type { DialogsController } from './dialogs-controller'

export function desktopHandlers<W>(
  dialogs: DialogsController<W>,
  settings: DesktopSettingsController,
): DesktopHandlers {
  return {
    openTorrentFiles: async () =>
      (await dialogs.pickTorrentFiles()).map(({ name, source }) => ({ name, source })),
    chooseFolder: (params) => dialogs.chooseFolder(params),
    revealTorrent: (params) => dialogs.revealTorrent(params),
    getDesktopSettings: async () => settings.get(),
    updateDesktopSettings: async (params) =>
      settings.update(DesktopSettingsPatchSchema.parse(params)),
  }
}
