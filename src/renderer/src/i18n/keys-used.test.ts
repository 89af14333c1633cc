/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest'
import { en } from './en'

// Every renderer source file's text, tests aside (Vite reads them; no Node API in renderer code).
const sources = import.meta.glob<string>(['../**/*.vue', '../**/*.ts', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
})

// t('key'), tn('key', n) and $t('key') with a literal key, in templates and scripts alike.
const CALL = /(?<![\w.])\$?tn?\(\s*(['"`])([\w.-]+)\1/g

function usedKeys(): Map<string, string[]> {
  const used = new Map<string, string[]>()
  for (const [file, text] of Object.entries(sources)) {
    for (const match of text.matchAll(CALL)) {
      const key = match[2]!
      used.set(key, [...(used.get(key) ?? []), file])
    }
  }
  return used
}

describe('the keys the renderer uses', () => {
  const used = usedKeys()

  it('finds the calls at all', () => expect(used.size).toBeGreaterThan(10))

  it('are all in the English catalogue', () => {
    const missing = [...used].filter(([key]) => !Object.hasOwn(en, key))
    expect(missing.map(([key, files]) => `${key} (${files.join(', ')})`)).toEqual([])
  })

  it('cover the English catalogue, so it holds no stale text', () => {
    expect(Object.keys(en).filter((key) => !used.has(key))).toEqual([])
  })
})
