/**
 * The Electron path of a call without Electron: the preload's bridge and main's handlers joined through
 * a stand-in for ipcMain/ipcRenderer, then the renderer's client over the bridge. A SeedlingError thrown
 * by the engine reaches the page with its code; an untrusted sender gets nothing.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { vi } from 'vitest'
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron'
import { apiMethods, SeedlingError, seedlingErrorCodes } from '@shared/api'
import type { SeedlingApi, SeedlingErrorCode, SeedlingEvents } from '@shared/api'
import type { SeedlingBridge } from '@shared/bridge'
import { desktopMethods } from '@shared/desktop-api'
import { clientFromBridge } from '@shared/bridge-client'
import { createDispatcher } from '../api-dispatch'
import { TypedEmitter } from '../engine/typed-emitter'
import type { DesktopHandlers } from './ipc'
import { registerApi, registerDesktopApi } from './ipc'

type Handler = (event: IpcMainInvokeEvent, params?: unknown) => unknown

const ipc = vi.hoisted(() => ({
  handlers: new Map<string, Handler>(),
  exposed: new Map<string, unknown>(),
  /** The event main sees for each invoke: the app's own frame unless a test says otherwise. */
  event: null as unknown,
}))

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => void ipc.handlers.set(channel, handler),
  },
  ipcRenderer: {
    invoke: async (channel: string, params?: unknown) => {
      const handler = ipc.handlers.get(channel)
      if (!handler) throw new Error(`No handler registered for '${channel}'`)
      // Like Electron: arguments and replies are structured clones.
      return structuredClone(
        await handler(ipc.event as IpcMainInvokeEvent, structuredClone(params)),
      )
    },
    on: () => undefined,
    off: () => undefined,
  },
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => void ipc.exposed.set(key, value),
  },
}))

const mainFrame = { url: 'app://seedling/index.html' }
const webContents = { mainFrame }
const win = { isDestroyed: () => false, webContents } as unknown as BrowserWindow
const trustedEvent = { sender: webContents, senderFrame: mainFrame }

let failWith: SeedlingErrorCode = 'invalid'
const engine = Object.assign(new TypedEmitter<SeedlingEvents>(), {
  listTorrents: async () => [],
  recheckTorrent: async () => {
    throw new SeedlingError(`refused: ${failWith}`, failWith)
  },
  getStats: async () => {
    throw new Error('disk exploded\n    at engine.ts:1')
  },
}) as unknown as SeedlingApi & TypedEmitter<SeedlingEvents>

const desktopHandlers = Object.fromEntries(
  Object.keys(desktopMethods).map((m) => [m, async () => `${m} done`]),
) as unknown as DesktopHandlers
desktopHandlers.revealTorrent = async () => {
  throw new SeedlingError('no such torrent', 'not-found')
}

let bridge: SeedlingBridge

beforeAll(async () => {
  registerApi(
    createDispatcher(engine),
    engine,
    () => win,
    (url) => url.startsWith('app://'),
  )
  registerDesktopApi(
    desktopHandlers,
    () => undefined,
    () => win,
    (url) => url.startsWith('app://'),
  )
  await import('../../preload/index')
  bridge = ipc.exposed.get('seedling') as SeedlingBridge
})

beforeEach(() => {
  ipc.event = trustedEvent
})

describe('the API over Electron IPC', () => {
  it('exposes every contract method and desktop call, and nothing generic', () => {
    for (const m of apiMethods) expect(typeof bridge[m], m).toBe('function')
    for (const m of Object.keys(desktopMethods))
      expect(typeof bridge.desktop![m as 'chooseFolder']).toBe('function')
    expect(Object.keys(bridge).sort()).toEqual([...apiMethods, 'desktop', 'on'].sort())
  })

  it('answers in the envelope, so the page gets the value or the error with its code', async () => {
    expect(await bridge.listTorrents()).toEqual({ ok: true, value: [] })
    const client = clientFromBridge(bridge)
    await expect(client.listTorrents()).resolves.toEqual([])
    for (const code of seedlingErrorCodes) {
      failWith = code
      const err = await client.recheckTorrent({ infoHash: 'a'.repeat(40) }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(SeedlingError)
      expect(err).toMatchObject({ message: `refused: ${code}`, code })
    }
  })

  it('keeps the dispatcher’s invalid and labels other errors internal, first line only', async () => {
    const client = clientFromBridge(bridge)
    await expect(client.getTorrent({ infoHash: 'zz' })).rejects.toMatchObject({ code: 'invalid' })
    await expect(client.getStats()).rejects.toMatchObject({
      message: 'internal error: disk exploded',
      code: 'internal',
    })
  })

  it('carries desktop calls the same way', async () => {
    const desktop = clientFromBridge(bridge).desktop!
    await expect(desktop.chooseFolder({ title: 'x' })).resolves.toBe('chooseFolder done')
    await expect(desktop.revealTorrent({ infoHash: 'a'.repeat(40) })).rejects.toMatchObject({
      message: 'no such torrent',
      code: 'not-found',
    })
  })

  it('refuses a sender that is not the app’s own page, as an internal error', async () => {
    ipc.event = { sender: webContents, senderFrame: { url: 'https://evil.example/' } }
    const reply = await bridge.listTorrents()
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(reply.ok || reply.error.message).toMatch(/untrusted sender/)
  })
})
