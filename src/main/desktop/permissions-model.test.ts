import { describe, expect, it } from 'vitest'
import { isAppUrl } from './app-protocol'
import { permissionAllowed } from './permissions-model'

const APP = { url: 'app://seedling/index.html', isMainFrame: true }

describe('permissionAllowed', () => {
  it('grants clipboard writes to the app page', () => {
    expect(permissionAllowed('clipboard-sanitized-write', APP, isAppUrl)).toBe(true)
    const origin = { url: 'app://seedling', isMainFrame: true }
    expect(permissionAllowed('clipboard-sanitized-write', origin, isAppUrl)).toBe(true)
  })

  it('denies everything else, notifications, devices and capture included', () => {
    for (const permission of [
      'clipboard-read',
      'notifications',
      'media',
      'display-capture',
      'geolocation',
      'hid',
      'serial',
      'usb',
      'midi',
      'midiSysex',
      'openExternal',
      'fullscreen',
      'pointerLock',
      'fileSystem',
      'local-fonts',
      'window-management',
      'storage-access',
      'unknown',
    ])
      expect(permissionAllowed(permission, APP, isAppUrl), permission).toBe(false)
  })

  it('denies even the allowed permission to any other page, and to frames inside the app', () => {
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'app://evil/', '']) {
      const requester = { url, isMainFrame: true }
      expect(permissionAllowed('clipboard-sanitized-write', requester, isAppUrl), url).toBe(false)
    }
    const frame = { ...APP, isMainFrame: false }
    expect(permissionAllowed('clipboard-sanitized-write', frame, isAppUrl)).toBe(false)
  })
})
