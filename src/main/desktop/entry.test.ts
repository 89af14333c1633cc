/**
 * The desktop entry (src/main/index.ts) wired up against stand-ins for Electron, the engine host, the
 * window and the tray: the controllers are tested on their own; this checks that index.ts connects them.
 */
import type { EventEmitter } from 'node:events'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import type { FakeWindow } from './controller-stand-ins'
import { desktopEventChannel } from '@shared/channels'
import type { TrayAction } from './tray-model'

const fake = vi.hoisted(() => ({
  userData: '',
  log: [] as string[],
  windows: [] as unknown[],
  trayAction: null as ((action: TrayAction) => void) | null,
  openRequestsReady: null as ((sender: unknown) => void) | null,
  engine: null as unknown,
}))

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  const { preventable } = await import('./controller-stand-ins')
  class App extends Emitter {
    isPackaged = false
    getPath = (): string => fake.userData
    getAppPath = (): string => '/app'
    getPreferredSystemLanguages = (): string[] => ['en-US']
    whenReady = async (): Promise<void> => undefined
    requestSingleInstanceLock = (): boolean => true
    setAsDefaultProtocolClient = (): boolean => true
    exit = (code: number): void => void fake.log.push(`exit ${code}`)
    /** Like Electron: `before-quit` first, and no quit when a listener prevents it. */
    quit = (): void => {
      const event = preventable()
      this.emit('before-quit', event)
      fake.log.push(event.prevented ? 'quit held' : 'quit')
    }
  }
  return {
    app: new App(),
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    dialog: {},
    shell: {},
  }
})

vi.mock('../engine-host/host-client', async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  const { summary } = await import('./controller-stand-ins')
  class FakeHostClient extends Emitter {
    list = [summary('downloading'), summary('seeding'), summary('paused')]
    listTorrents = async (): Promise<unknown[]> => this.list
    pauseTorrents = async (req: { infoHashes: string[] }): Promise<void> =>
      void fake.log.push(`pause ${req.infoHashes.length}`)
    close = async (): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      fake.log.push('engine closed')
    }
  }
  return {
    EngineHostClient: {
      start: async (opts: { options: { stateDir: string } }) => {
        fake.log.push(`engine started in ${opts.options.stateDir === fake.userData}`)
        fake.engine = new FakeHostClient()
        return fake.engine
      },
    },
  }
})

vi.mock('./window', async () => {
  const { FakeWindow } = await import('./controller-stand-ins')
  return {
    createMainWindow: (opts: { show: boolean }) => {
      const win = new FakeWindow(opts.show)
      fake.windows.push(win)
      return win
    },
    trackWindowState: () => undefined,
  }
})
vi.mock('./tray', () => ({
  SeedlingTray: class {
    constructor(_dir: string, onAction: (action: TrayAction) => void) {
      fake.trayAction = onAction
    }
    update(): void {}
    destroy(): void {
      fake.log.push('tray destroyed')
    }
  },
}))
vi.mock('./ipc', () => ({
  registerApi: () => undefined,
  registerDesktopApi: (_handlers: unknown, onReady: (sender: unknown) => void) =>
    void (fake.openRequestsReady = onReady),
}))
vi.mock('./hardening', () => ({ installHardening: () => undefined }))
vi.mock('./menu', () => ({ installAppMenu: () => undefined }))
vi.mock('./notifications', () => ({
  notificationsSupported: () => false,
  showNotification: (spec: { title: string }) => void fake.log.push(`notify ${spec.title}`),
}))
vi.mock('./utility-channel', () => ({ forkUtilityHost: () => undefined }))

fake.userData = mkdtempSync(path.join(os.tmpdir(), 'seedling-entry-'))
const { app } = (await import('electron')) as unknown as { app: EventEmitter & { quit(): void } }
await import('../index')
const settle = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
await settle()

const mainWindow = (): FakeWindow => fake.windows.at(-1) as FakeWindow

describe('the desktop entry', () => {
  afterAll(async () => {
    const { rm } = await import('node:fs/promises')
    await rm(fake.userData, { recursive: true, force: true })
  })

  it('starts the engine host in userData and opens the window', () => {
    expect(fake.log).toEqual(['engine started in true'])
    expect(fake.windows).toHaveLength(1)
    expect(mainWindow().visible).toBe(true)
  })

  it('closing the window hides it to the tray; the engine keeps running', async () => {
    expect(mainWindow().close().prevented).toBe(true)
    expect(mainWindow().visible).toBe(false)
    await settle()
    expect(fake.log).toEqual(['engine started in true', 'notify Seedling is still running'])
  })

  it('tray "Pause all" pauses every running torrent', async () => {
    fake.trayAction?.('pause-all')
    await settle()
    expect(fake.log.at(-1)).toBe('pause 2')
  })

  it('a second instance shows the window; its magnet waits until the page listens', async () => {
    const uri = `magnet:?xt=urn:btih:${'ab'.repeat(20)}`
    app.emit('second-instance', {}, ['seedling', uri], '/')
    await settle()
    expect(mainWindow().visible).toBe(true)
    const sent: unknown[] = []
    fake.openRequestsReady?.({ isDestroyed: () => false, send: (...a: unknown[]) => sent.push(a) })
    expect(sent).toEqual([[desktopEventChannel('open-request'), { kind: 'magnet', uri }]])
  })

  it('quitting closes the engine host (saving the session) before the app exits', async () => {
    fake.log.length = 0
    app.quit()
    expect(fake.log).toEqual(['quit held'])
    await settle()
    expect(fake.log).toEqual(['quit held', 'engine closed', 'tray destroyed', 'quit'])
    expect(mainWindow().close().prevented).toBe(false)
  })
})
