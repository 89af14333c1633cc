import { describe, expect, it } from 'vitest'
import { summary } from '../test/fake-client'
import { UNLABELLED, labelCounts, matchesCategory, matchesTag } from './label-facet'

describe('label facets', () => {
  const a = summary({ category: 'Films', tags: ['4k', 'new'] })
  const b = summary({ category: 'films 2', tags: ['new'] })
  const c = summary({ category: null, tags: [] })

  it('counts each category and tag, and the torrents without', () => {
    expect(labelCounts([a, b, c])).toEqual({
      categories: [
        { label: 'Films', count: 1 },
        { label: 'films 2', count: 1 },
      ],
      uncategorized: 1,
      tags: [
        { label: '4k', count: 1 },
        { label: 'new', count: 2 },
      ],
      untagged: 1,
    })
  })

  it('matches a category or tag exactly, none, or any', () => {
    expect([a, b, c].filter((t) => matchesCategory(t, 'Films'))).toEqual([a])
    expect([a, b, c].filter((t) => matchesCategory(t, UNLABELLED))).toEqual([c])
    expect([a, b, c].filter((t) => matchesTag(t, 'new'))).toEqual([a, b])
    expect([a, b, c].filter((t) => matchesTag(t, UNLABELLED))).toEqual([c])
    expect([a, b, c].filter((t) => matchesTag(t, null))).toEqual([a, b, c])
  })
})
