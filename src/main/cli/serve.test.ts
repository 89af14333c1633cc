import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CliIo } from './transfer'
import { defaultStateDir, generateToken, runServe } from './serve'
import { UsageError } from './usage-error'

const io = (): CliIo => ({
  out: () => {},
  err: () => {},
  write: () => {},
  isTTY: false,
  stopSignal: new Promise(() => {}),
})
const flags = { dht: false, lsd: false, upnp: false, pex: false }

describe('serve', () => {
  it('keeps state in the per-user data folder of each platform', () => {
    expect(defaultStateDir('linux', {}, '/home/u')).toBe('/home/u/.local/share/seedling')
    expect(defaultStateDir('linux', { XDG_DATA_HOME: '/data' }, '/home/u')).toBe('/data/seedling')
    expect(defaultStateDir('linux', { XDG_DATA_HOME: 'relative' }, '/home/u')).toBe(
      '/home/u/.local/share/seedling',
    )
    expect(defaultStateDir('darwin', {}, '/Users/u')).toBe(
      '/Users/u/Library/Application Support/Seedling',
    )
    expect(
      defaultStateDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u'),
    ).toBe(path.join('C:\\Users\\u\\AppData\\Roaming', 'Seedling'))
  })

  it('generates long random url-safe tokens', () => {
    const a = generateToken()
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(generateToken()).not.toBe(a)
  })

  it('refuses a short or odd token before opening anything', async () => {
    await expect(runServe({ ...flags, token: 'short' }, io(), {})).rejects.toThrow(UsageError)
    await expect(runServe({ ...flags, token: 'short' }, io(), {})).rejects.toThrow(/at least 16/)
    await expect(runServe({ ...flags }, io(), { SEEDLING_TOKEN: 'tiny' })).rejects.toThrow(
      /at least 16/,
    )
    await expect(
      runServe({ ...flags, token: 'has spaces in it, long enough' }, io(), {}),
    ).rejects.toThrow(/printable ASCII/)
  })
})
