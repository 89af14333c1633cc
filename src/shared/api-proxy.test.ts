import { describe, expect, it, vi } from 'vitest'
import { apiMethods } from './api'
import { createApiProxy, createProxy } from './api-proxy'
import { desktopMethods } from './desktop-api'
import type { DesktopCalls } from './bridge'

describe('createApiProxy', () => {
  it('has exactly the contract methods, each calling through with its name and params', async () => {
    const call = vi.fn(async (method: string, params: unknown) => ({ method, params }))
    const api = createApiProxy(call)
    expect(Object.keys(api).sort()).toEqual([...apiMethods].sort())
    for (const method of apiMethods) {
      const fn = api[method] as (params?: unknown) => Promise<unknown>
      expect(await fn({ probe: method })).toEqual({ method, params: { probe: method } })
    }
    expect(call).toHaveBeenCalledTimes(apiMethods.length)
    await api.listTorrents()
    expect(call).toHaveBeenLastCalledWith('listTorrents', undefined)
  })

  it('passes rejections through unchanged', async () => {
    const err = new Error('down')
    const api = createApiProxy(() => Promise.reject(err))
    await expect(api.getStats()).rejects.toBe(err)
  })
})

describe('createProxy', () => {
  it('builds any name record, such as the desktop calls', async () => {
    const desktop = createProxy<DesktopCalls>(desktopMethods, async (method) => method)
    expect(Object.keys(desktop).sort()).toEqual(Object.keys(desktopMethods).sort())
    expect(await desktop.chooseFolder({ title: 't' })).toBe('chooseFolder')
  })
})
