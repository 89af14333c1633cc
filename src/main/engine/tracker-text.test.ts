import { describe, expect, it } from 'vitest'
import { MAX_TRACKER_TEXT_LENGTH, trackerText } from './tracker-text'

describe('trackerText', () => {
  it('keeps an ordinary message as it is', () => {
    expect(trackerText('unregistered torrent')).toBe('unregistered torrent')
  })

  it('makes one line: newlines, tabs and runs of spaces become one space', () => {
    expect(trackerText('  go\r\naway\t\tnow\n')).toBe('go away now')
  })

  it('strips terminal escapes, NUL, DEL, C1 controls and bidi overrides', () => {
    const shown = trackerText('\u001b[31mred\u001b[0m\u0000\u007f\u009b2J \u202eevil\u2066x\u2069')
    // eslint-disable-next-line no-control-regex
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
    expect(shown).toContain('red')
    expect(shown).toContain('evil')
  })

  it('removes whole terminal escape sequences, not just their ESC', () => {
    expect(trackerText('\u001b[2J\u001b[1;31mbanned\u001b[0m \u001b]0;title\u0007now')).toBe(
      'banned now',
    )
  })

  it(`cuts long text to ${MAX_TRACKER_TEXT_LENGTH} characters ending with an ellipsis`, () => {
    const shown = trackerText('x'.repeat(10_000))
    expect(Array.from(shown)).toHaveLength(MAX_TRACKER_TEXT_LENGTH)
    expect(shown.endsWith('…')).toBe(true)
  })

  it('never splits a surrogate pair when cutting', () => {
    const shown = trackerText('🌱'.repeat(500), 10)
    expect(Array.from(shown)).toEqual([...Array(9).fill('🌱'), '…'])
  })

  it('gives a placeholder for text that is empty once cleaned, and stringifies non-strings', () => {
    expect(trackerText('\u0000\u0001 \n')).toBe('tracker error')
    expect(trackerText(42)).toBe('42')
  })
})
