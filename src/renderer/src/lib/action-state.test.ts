import { describe, expect, it } from 'vitest'
import { summary } from '../test/fake-client'
import { actionState, shortcutLabel } from './action-state'

describe('actionState', () => {
  it('enables nothing without a selection', () => {
    expect(actionState([])).toEqual({ canPause: false, canResume: false, canRecheck: false })
  })

  it('offers Pause only when something can pause, Resume only when something can resume', () => {
    const paused = summary({ status: 'paused' })
    const seeding = summary({ status: 'seeding' })
    const failed = summary({ status: 'error' })
    expect(actionState([paused])).toMatchObject({ canPause: false, canResume: true })
    expect(actionState([seeding])).toMatchObject({ canPause: true, canResume: false })
    expect(actionState([paused, seeding])).toMatchObject({ canPause: true, canResume: true })
    expect(actionState([failed])).toMatchObject({ canPause: true, canResume: true })
    // Paused, its data being checked on disk: still resumable, not pausable.
    const checkingPaused = summary({ status: 'checking', paused: true })
    expect(actionState([checkingPaused])).toMatchObject({ canPause: false, canResume: true })
  })

  it('offers Recheck only once the metadata is known', () => {
    expect(actionState([summary({ hasMetadata: false })]).canRecheck).toBe(false)
    expect(actionState([summary({ hasMetadata: true })]).canRecheck).toBe(true)
  })
})

describe('shortcutLabel', () => {
  it('names the modifier per platform', () => {
    expect(shortcutLabel('O', false)).toBe('Ctrl+O')
    expect(shortcutLabel('O', true)).toBe('⌘O')
    expect(shortcutLabel('Delete', false, false)).toBe('Delete')
  })
})
