/** A file tree built from `/`-separated paths, flattened for rendering with tri-state folders. */

export interface TreeFile {
  index: number
  path: string
  length: number
  /** 0..1 when known (the Files tab); absent in the add preview. */
  progress?: number
  /** Whether it is to be downloaded, when known (the Files tab); folders then total these only. */
  selected?: boolean
}

export interface TreeNode {
  /** Unique key: the folder path, or `f:<index>` for a file. */
  key: string
  name: string
  depth: number
  isFolder: boolean
  /**
   * A folder's: the sum over its selected files when the files say which are (so the root agrees
   * with the torrent's row: progress over the selection), over all of them when none is selected.
   */
  length: number
  /** Bytes downloaded (summed like `length`), when progress is known. */
  done: number | null
  /** A file's own `selected`; for a folder, whether any file below it is selected. */
  selected?: boolean
  /** File indexes under this node (the file itself for a file). */
  indexes: number[]
  children: TreeNode[]
}

export type CheckState = 'checked' | 'unchecked' | 'mixed'

export function buildFileTree(files: readonly TreeFile[]): TreeNode[] {
  const root: TreeNode = {
    key: '',
    name: '',
    depth: -1,
    isFolder: true,
    length: 0,
    done: 0,
    indexes: [],
    children: [],
  }
  const folders = new Map<string, TreeNode>([['', root]])
  for (const f of files) {
    const parts = f.path.split('/').filter((p) => p.length > 0)
    const name = parts.pop() ?? f.path
    let parent = root
    let key = ''
    for (const part of parts) {
      key = key ? `${key}/${part}` : part
      let folder = folders.get(key)
      if (!folder) {
        folder = {
          key,
          name: part,
          depth: parent.depth + 1,
          isFolder: true,
          length: 0,
          done: 0,
          indexes: [],
          children: [],
        }
        folders.set(key, folder)
        parent.children.push(folder)
      }
      parent = folder
    }
    parent.children.push({
      key: `f:${f.index}`,
      name,
      depth: parent.depth + 1,
      isFolder: false,
      length: f.length,
      done: f.progress === undefined ? null : f.progress * f.length,
      indexes: [f.index],
      children: [],
      selected: f.selected,
    })
  }
  const total = (n: TreeNode): void => {
    if (!n.isFolder) return
    n.length = 0
    n.done = 0
    n.indexes = []
    for (const c of n.children) total(c)
    n.selected = n.children.some((c) => c.selected === true)
    // With a selection below, the unselected children do not count; a child folder counts only its
    // selected files, which `total` already did.
    const counted = n.selected ? n.children.filter((c) => c.selected === true) : n.children
    for (const c of counted) {
      n.length += c.length
      n.done = n.done === null || c.done === null ? null : n.done + c.done
    }
    for (const c of n.children) for (const i of c.indexes) n.indexes.push(i)
    n.children.sort((a, b) =>
      a.isFolder === b.isFolder
        ? a.name.localeCompare(b.name, undefined, { numeric: true })
        : a.isFolder
          ? -1
          : 1,
    )
  }
  total(root)
  return root.children
}

/** The rows to show: depth-first, skipping the children of collapsed folders. */
export function flattenTree(
  nodes: readonly TreeNode[],
  collapsed: ReadonlySet<string>,
): TreeNode[] {
  const out: TreeNode[] = []
  const walk = (list: readonly TreeNode[]): void => {
    for (const n of list) {
      out.push(n)
      if (n.isFolder && !collapsed.has(n.key)) walk(n.children)
    }
  }
  walk(nodes)
  return out
}

export function checkState(node: TreeNode, selected: ReadonlySet<number>): CheckState {
  let on = 0
  for (const i of node.indexes) if (selected.has(i)) on++
  return on === 0 ? 'unchecked' : on === node.indexes.length ? 'checked' : 'mixed'
}

/** Clicking a checkbox: a checked node turns off; an unchecked or mixed one turns its whole subtree on. */
export function toggleNode(node: TreeNode, selected: ReadonlySet<number>): Set<number> {
  const next = new Set(selected)
  const turnOn = checkState(node, selected) !== 'checked'
  for (const i of node.indexes) {
    if (turnOn) next.add(i)
    else next.delete(i)
  }
  return next
}
