import { describe, expect, it } from 'vitest'
import { MAX_LABEL_LENGTH, editTags, isLabel, normalLabel, parseTags } from './labels'

describe('labels', () => {
  it('takes words, spaces inside and any script, up to the length', () => {
    for (const ok of ['Linux ISOs', 'Filme/Serien', 'été', '映画', 'x'.repeat(MAX_LABEL_LENGTH)]) {
      expect(isLabel(ok), ok).toBe(true)
    }
  })

  it('refuses what could disguise a label or break a tag list', () => {
    const bad = [
      '',
      ' lead',
      'trail ',
      'two  spaces',
      'a,b',
      'x\u202ey',
      'x\u0000',
      'x\n',
      'x'.repeat(65),
    ]
    for (const b of bad) expect(isLabel(b), JSON.stringify(b)).toBe(false)
  })

  it('normalizes typed text into tags: commas split, blanks and repeats dropped', () => {
    expect(normalLabel('  a   b ')).toBe('a b')
    expect(parseTags(' fast, music ,, fast,  new  stuff ')).toEqual(['fast', 'music', 'new stuff'])
    expect(parseTags(' , ')).toEqual([])
  })

  it('edits tags in order, each once, removals last', () => {
    expect(editTags(['a', 'b'], ['c', 'a'], ['b'])).toEqual(['a', 'c'])
    expect(editTags([], ['x'], ['x'])).toEqual([])
  })
})
