import { MAX_LABEL_LENGTH, isLabel, normalLabel, parseTags } from '@shared/labels'
import type { Translate } from '../i18n'

/**
 * A category and tags as typed in LabelFields: normalized, and what is wrong with them in words
 * (null when nothing is). An empty category is '' (none).
 */
export function readLabels(
  t: Translate,
  categoryText: string,
  tagsText: string,
): { category: string; tags: string[]; problem: string | null } {
  const category = normalLabel(categoryText)
  const tags = parseTags(tagsText)
  const bad = [category, ...tags].find((l) => l !== '' && !isLabel(l))
  return {
    category,
    tags,
    problem:
      bad === undefined
        ? null
        : t('labels.bad', { label: bad.slice(0, 80), max: MAX_LABEL_LENGTH }),
  }
}
