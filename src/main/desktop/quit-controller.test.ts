import { describe, expect, it } from 'vitest'
import { preventable } from './controller-stand-ins'
import { QuitController } from './quit-controller'

function setup(opts: { engineCloseFails?: boolean } = {}) {
  const log: string[] = []
  const quit = new QuitController({
    settings: { flush: async () => void log.push('settings flushed') },
    quit: () => void log.push('app.quit'),
    warn: (m) => void log.push(m),
  })
  const engine = {
    close: async () => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      if (opts.engineCloseFails) throw new Error('host did not answer')
      log.push('engine closed')
    },
  }
  quit.manage({ engine, tray: { destroy: () => void log.push('tray destroyed') } })
  return { quit, log }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20))

describe('QuitController', () => {
  it('holds the quit back until the engine host has closed (saving the session), then quits', async () => {
    const { quit, log } = setup()
    const event = preventable()
    quit.beforeQuit(event)
    expect(event.prevented).toBe(true)
    expect(quit.isQuitting).toBe(true)
    expect(log).toEqual([])
    await settle()
    expect(log).toEqual(['engine closed', 'settings flushed', 'tray destroyed', 'app.quit'])
    const again = preventable()
    quit.beforeQuit(again)
    expect(again.prevented).toBe(false)
  })

  it('shuts down once however many ways ask for it', async () => {
    const { quit, log } = setup()
    void quit.stop()
    quit.beforeQuit(preventable())
    quit.beforeQuit(preventable())
    await settle()
    expect(log.filter((l) => l === 'engine closed')).toHaveLength(1)
    expect(log.filter((l) => l === 'app.quit')).toHaveLength(2)
  })

  it('still exits when the engine host fails to close', async () => {
    const { quit, log } = setup({ engineCloseFails: true })
    quit.beforeQuit(preventable())
    await settle()
    expect(log).toEqual(['[quit] host did not answer', 'tray destroyed', 'app.quit'])
  })

  it('lets a second instance quit at once: the first one owns the session', () => {
    const { quit, log } = setup()
    quit.skipShutdown()
    const event = preventable()
    quit.beforeQuit(event)
    expect(event.prevented).toBe(false)
    expect(log).toEqual([])
  })
})
