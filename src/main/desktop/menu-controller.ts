/** What the application menu's commands do; the renderer carries out the ones that need the page. */
import type { MenuCommand } from './menu-model'
import type { PickedTorrent } from './dialogs-controller'

export interface MenuDeps {
  pickTorrentFiles(): Promise<PickedTorrent[]>
  open(request: PickedTorrent): void
  showWindow(): void
  /** Passes a command to the page (desktop event `menu-command`). */
  toRenderer(command: MenuCommand): void
  showAbout(): void
  quit(): void
}

export function menuCommandHandler(deps: MenuDeps): (command: MenuCommand) => void {
  return (command) => {
    switch (command) {
      case 'open-torrent':
        void deps.pickTorrentFiles().then((files) => {
          for (const f of files) deps.open(f)
          if (files.length) deps.showWindow()
        })
        return
      case 'add-magnet':
      case 'create-torrent':
        deps.showWindow()
        deps.toRenderer(command)
        return
      case 'about':
        deps.showAbout()
        return
      case 'quit':
        deps.quit()
    }
  }
}
