import { describe, expect, it } from 'vitest'
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
    expect(validateForm(form)).toBeNull()
    expect(validateForm({ ...form, port: 70000 })).toMatch(/port/)
    expect(validateForm({ ...form, downloadLimitKib: -1 })).toMatch(/download limit/)
    expect(validateForm({ ...form, maxConnections: 0 })).toMatch(/connection/)
    expect(validateForm({ ...form, downloadDir: '  ' })).toMatch(/folder/)
  })
})
