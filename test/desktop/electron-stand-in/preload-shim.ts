/**
 * Runs the built preload bundle in the page's main frame before the page's own scripts, with a `require`
 * that gives it this stand-in's renderer side of `electron`: `contextBridge.exposeInMainWorld` sets
 * window[key]; `ipcRenderer.invoke`/`send` cross to the main process over a Playwright binding (which
 * says which frame called, so ipcMain sees the real sender frame); `webContents.send` comes back through
 * `__standInDeliver`. Not modelled: the isolated world (preload and page share one here) and the
 * structured clone (Playwright serializes arguments its own way).
 */
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { ipcMain } from './ipc-main'
import type { StandInWebContents } from './web-contents'

const RENDERER_SIDE = `
  const listeners = new Map()
  const ipcRenderer = {
    invoke: (channel, ...args) => window.__standInInvoke(channel, args),
    send: (channel, ...args) => void window.__standInSend(channel, args),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel).add(listener)
      return ipcRenderer
    },
    off(channel, listener) {
      listeners.get(channel)?.delete(listener)
      return ipcRenderer
    },
  }
  ipcRenderer.removeListener = ipcRenderer.off
  const contextBridge = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: Object.freeze(api), enumerable: true })
    },
  }
  Object.defineProperty(window, '__standInDeliver', {
    value: (channel, args) => {
      for (const listener of [...(listeners.get(channel) ?? [])]) listener({ sender: ipcRenderer }, ...args)
    },
  })
  const require = (id) => {
    if (id === 'electron') return { contextBridge, ipcRenderer }
    throw new Error('a sandboxed preload cannot require ' + id)
  }
`

export async function installPreload(
  page: Page,
  preload: string,
  contents: StandInWebContents,
): Promise<void> {
  const bundle = await readFile(preload, 'utf8')
  await page.exposeBinding('__standInInvoke', (source, channel: string, args: unknown[]) =>
    ipcMain.invokeFrom(contents, source.frame === source.page.mainFrame(), channel, args),
  )
  await page.exposeBinding('__standInSend', (source, channel: string, args: unknown[]) =>
    ipcMain.sendFrom(contents, source.frame === source.page.mainFrame(), channel, args),
  )
  // Electron runs a preload in the main frame only (nodeIntegrationInSubFrames is off).
  await page.addInitScript(
    `if (window === window.top) {(() => {${RENDERER_SIDE}
const module = { exports: {} };
(function (require, module, exports) {${bundle}\n})(require, module, module.exports)
})()}`,
  )
}
