import { describe, expect, it } from 'vitest'
import { buildFileTree, checkState, flattenTree, toggleNode } from './file-tree'

const files = [
  { index: 0, path: 'album/cd1/01.flac', length: 100 },
  { index: 1, path: 'album/cd1/02.flac', length: 200 },
  { index: 2, path: 'album/cd2/01.flac', length: 300 },
  { index: 3, path: 'album/cover.jpg', length: 4 },
]

describe('file tree', () => {
  it('nests folders with summed sizes, folders first', () => {
    const tree = buildFileTree(files)
    expect(tree).toHaveLength(1)
    const album = tree[0]!
    expect(album.length).toBe(604)
    expect(album.children.map((c) => c.name)).toEqual(['cd1', 'cd2', 'cover.jpg'])
    expect(album.children[0]!.indexes).toEqual([0, 1])
    expect(flattenTree(tree, new Set()).map((n) => n.name)).toEqual([
      'album',
      'cd1',
      '01.flac',
      '02.flac',
      'cd2',
      '01.flac',
      'cover.jpg',
    ])
    expect(flattenTree(tree, new Set(['album/cd1'])).map((n) => n.name)).toEqual([
      'album',
      'cd1',
      'cd2',
      '01.flac',
      'cover.jpg',
    ])
  })

  it('is tri-state, and a folder checkbox toggles its whole subtree', () => {
    const [album] = buildFileTree(files)
    const cd1 = album!.children[0]!
    let sel = new Set([0, 1, 2, 3])
    expect(checkState(album!, sel)).toBe('checked')
    sel = toggleNode(cd1, sel) // off
    expect([...sel].sort()).toEqual([2, 3])
    expect(checkState(cd1, sel)).toBe('unchecked')
    expect(checkState(album!, sel)).toBe('mixed')
    sel = toggleNode(album!, sel) // mixed → all on
    expect([...sel].sort()).toEqual([0, 1, 2, 3])
    sel = toggleNode(album!, sel) // checked → all off
    expect(sel.size).toBe(0)
  })

  it('sums progress when known', () => {
    const [album] = buildFileTree(files.map((f) => ({ ...f, progress: f.index === 0 ? 1 : 0 })))
    expect(album!.done).toBe(100)
    expect(buildFileTree(files)[0]!.done).toBeNull()
  })

  it('handles a single-file torrent', () => {
    const tree = buildFileTree([{ index: 0, path: 'file.iso', length: 5 }])
    expect(tree.map((n) => [n.name, n.isFolder, n.depth])).toEqual([['file.iso', false, 0]])
  })

  it('totals folders over the selected files, as the torrent row does', () => {
    // As the Files tab gets them: cd1/01 done, cd1/02 deselected (half there), cd2 and cover selected.
    const withProgress = [
      { ...files[0]!, progress: 1, selected: true },
      { ...files[1]!, progress: 0.5, selected: false },
      { ...files[2]!, progress: 0, selected: true },
      { ...files[3]!, progress: 1, selected: true },
    ]
    const [album] = buildFileTree(withProgress)
    // The row: completedLength / selectedLength over files 0, 2 and 3.
    expect(album!.length).toBe(404)
    expect(album!.done).toBe(104)
    const cd1 = album!.children[0]!
    expect([cd1.length, cd1.done]).toEqual([100, 100])
    // A folder with nothing selected below it still shows what it holds.
    const onlyCd2 = withProgress.map((f) => ({ ...f, selected: f.index === 2 }))
    const cd1Off = buildFileTree(onlyCd2)[0]!.children[0]!
    expect([cd1Off.length, cd1Off.done]).toEqual([300, 200])
    expect(buildFileTree(onlyCd2)[0]!.length).toBe(300)
  })
})
