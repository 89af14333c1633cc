import { describe, expect, it } from 'vitest'
import { i18n, t } from '../i18n'
import { settings } from '../test/fake-client'
import { formToPatch, settingsToForm, validateForm } from './settings-form'

describe('settings form', () => {
  it('shows limits in KiB/s and sends them in bytes/s', () => {
    const form = settingsToForm(settings({ downloadLimit: 0, uploadLimit: 51_200 }))
    expect(form.downloadLimitKib).toBe(0)
    expect(form.uploadLimitKib).toBe(50)
    form.downloadLimitKib = 1.5
    form.uploadLimitKib = 0
    const patch = formToPatch(form)
    expect(patch.downloadLimit).toBe(1536)
    expect(patch.uploadLimit).toBe(0)
  })

  it('round-trips every field', () => {
    const s = settings({ uploadLimit: 1024 * 300, encryption: 'require', dht: false })
    expect(formToPatch(settingsToForm(s))).toEqual(s)
  })

  it('validates before sending', () => {
    const form = settingsToForm(settings())
    expect(validateForm(form, t)).toBeNull()
    expect(validateForm({ ...form, port: 70000 }, t)).toBe('The port is a number from 0 to 65535.')
    expect(validateForm({ ...form, downloadLimitKib: -1 }, t)).toMatch(/download limit/)
    expect(validateForm({ ...form, uploadLimitKib: Number.NaN }, t)).toMatch(/upload limit/)
    expect(validateForm({ ...form, maxConnections: 0 }, t)).toMatch(/^The connection limit/)
    expect(validateForm({ ...form, maxConnectionsPerTorrent: 1.5 }, t)).toMatch(/per-torrent/)
    expect(validateForm({ ...form, downloadDir: '  ' }, t)).toMatch(/folder/)
  })

  it('says what is wrong in the UI’s language', () => {
    const form = settingsToForm(settings())
    i18n.global.locale.value = 'fr'
    try {
      expect(validateForm({ ...form, port: -1 }, t)).toBe(
        'Le port est un nombre compris entre 0 et 65535.',
      )
    } finally {
      i18n.global.locale.value = 'en'
    }
  })
})
