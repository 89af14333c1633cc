import { describe, expect, it } from 'vitest'
import { en } from './en'
import { itHasCompleteCatalogues } from '../../../../test/support/catalogues'
import { catalogues, translator } from './translate'

describe('the desktop message catalogue', () => {
  itHasCompleteCatalogues(catalogues, en)

  it('fills in values and leaves an unknown placeholder visible rather than inventing one', () => {
    expect(translator('fr')('tray.seeding', { count: 3 })).toBe('En partage : 3')
    expect(translator('en')('notify.engineGaveUpBody')).toContain('{reason}')
  })
})
