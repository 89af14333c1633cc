/**
 * Native dialogs and the file manager, attached to the main window when there is one: picking .torrent
 * files (read here, at most MAX_TORRENT_FILE_BYTES each), choosing a folder, revealing a torrent's data.
 */
import path from 'node:path'
import type { OpenDialogOptions, OpenDialogReturnValue } from 'electron'
import { z } from 'zod'
import { SeedlingError } from '@shared/api'
import type { OpenRequest } from '@shared/desktop-api'
import { InfoHashRequestSchema } from '@shared/schema'
import type { readTorrentFile } from './open-requests'
import type { Translate } from './i18n/translate'

/** The part of Electron's `dialog` used here. */
export interface DialogPort<W> {
  showOpenDialog(window: W, options: OpenDialogOptions): Promise<OpenDialogReturnValue>
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>
  showErrorBox(title: string, content: string): void
}

/** The part of Electron's `shell` used here. */
export interface ShellPort {
  showItemInFolder(fullPath: string): void
  /** Resolves to an error message, empty on success. */
  openPath(path: string): Promise<string>
}

export interface DialogDeps<W> {
  dialog: DialogPort<W>
  shell: ShellPort
  window(): W | null
  readTorrentFile: typeof readTorrentFile
  exists(path: string): boolean
  /** Where a torrent's data is, asked of the engine: a path from the renderer is never trusted. */
  dataPath(infoHash: string): Promise<string>
  t: Translate
}

export type PickedTorrent = Extract<OpenRequest, { kind: 'file' }>

const ChooseFolderSchema = z.object({
  title: z.string().max(200),
  defaultPath: z.string().max(4096).optional(),
})

export class DialogsController<W> {
  constructor(private readonly deps: DialogDeps<W>) {}

  private open(options: OpenDialogOptions): Promise<OpenDialogReturnValue> {
    const win = this.deps.window()
    return win
      ? this.deps.dialog.showOpenDialog(win, options)
      : this.deps.dialog.showOpenDialog(options)
  }

  /** The files picked and readable; the others are listed in one error box. */
  async pickTorrentFiles(): Promise<PickedTorrent[]> {
    const result = await this.open({
      title: this.deps.t('dialog.openTorrents'),
      properties: ['openFile', 'multiSelections'],
      filters: [{ name: this.deps.t('dialog.torrentFiles'), extensions: ['torrent'] }],
    })
    if (result.canceled) return []
    const picked: PickedTorrent[] = []
    const errors: string[] = []
    for (const file of result.filePaths) {
      const read = await this.deps.readTorrentFile(file)
      if ('error' in read) errors.push(read.error)
      else picked.push({ kind: 'file', name: read.name, source: read.source })
    }
    if (errors.length > 0)
      this.deps.dialog.showErrorBox(this.deps.t('dialog.someNotOpened'), errors.join('\n'))
    return picked
  }

  async chooseFolder(params: unknown): Promise<string | null> {
    const req = ChooseFolderSchema.parse(params)
    const result = await this.open({
      title: req.title,
      defaultPath: req.defaultPath,
      properties: ['openDirectory', 'createDirectory'],
    })
    return result.canceled ? null : (result.filePaths[0] ?? null)
  }

  /** Shows the torrent's data in the file manager, or the folder it would be in. */
  async revealTorrent(params: unknown): Promise<void> {
    const checked = InfoHashRequestSchema.safeParse(params)
    if (!checked.success) throw new SeedlingError('invalid revealTorrent request: bad info hash')
    const target = await this.deps.dataPath(checked.data.infoHash)
    if (this.deps.exists(target)) return this.deps.shell.showItemInFolder(target)
    const error = await this.deps.shell.openPath(path.dirname(target))
    if (error) throw new SeedlingError(`cannot open the folder: ${error}`, 'io')
  }

  /** Selects the torrent's data in the file manager (a click on "Download complete"). */
  async revealData(infoHash: string): Promise<void> {
    this.deps.shell.showItemInFolder(await this.deps.dataPath(infoHash))
  }
}
