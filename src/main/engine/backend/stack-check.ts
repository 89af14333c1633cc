/**
 * Seedling's safety limits live partly in patches to its BitTorrent stack (patches/*.patch). A stack
 * installed without them (a plain `npm install`, a drifted version) would run and quietly lose those
 * limits, so the backend refuses to start on one, naming the package.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

export interface PatchedPackage {
  name: string
  /** The exact version the patch was made for (package.json pins it). */
  version: string
  /** A file the patch changes, relative to the package root: it must hold a `// Seedling:` marker. */
  file: string
}

export const PATCHED_STACK: readonly PatchedPackage[] = [
  { name: 'webtorrent', version: '3.0.21', file: 'index.js' },
  { name: 'bittorrent-protocol', version: '5.0.9', file: 'index.js' },
  { name: 'bittorrent-tracker', version: '11.2.3', file: 'client.js' },
  { name: 'ut_metadata', version: '5.0.1', file: 'index.js' },
  { name: 'ut_pex', version: '5.0.2', file: 'index.js' },
  { name: 'throughput', version: '1.0.2', file: 'index.js' },
]

const PATCH_MARKER = '// Seedling:'

/** Node's lookup for a bare import from `from`: the nearest node_modules/<name> up the tree. */
export function findPackageRoot(name: string, from: string): string | null {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const root = path.join(dir, 'node_modules', name)
    if (existsSync(path.join(root, 'package.json'))) return root
    if (path.dirname(dir) === dir) return null
  }
}

/** Why the package at `root` is not the patched one Seedling needs, or null when it is. */
export function patchProblem(pkg: PatchedPackage, root: string | null): string | null {
  const fix = 'run npm ci'
  if (!root)
    return `${pkg.name} is not installed; Seedling needs the patched ${pkg.version}: ${fix}`
  let installed: unknown
  try {
    installed = (
      JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown }
    ).version
  } catch {
    installed = undefined
  }
  if (installed !== pkg.version) {
    return `${pkg.name} ${String(installed)} is not the patched ${pkg.version} Seedling needs: ${fix}`
  }
  let source = ''
  try {
    source = readFileSync(path.join(root, pkg.file), 'utf8')
  } catch {
    source = ''
  }
  if (!source.includes(PATCH_MARKER)) {
    return `${pkg.name} ${pkg.version} lacks Seedling's patch (patches/${pkg.name}+${pkg.version}.patch): ${fix}`
  }
  return null
}

/**
 * Throws on the first package that is missing, of another version or unpatched. The stack's own
 * dependencies are looked up from webtorrent's folder, where webtorrent itself finds them.
 */
export function verifyPatchedStack(from: string): void {
  const webtorrent = findPackageRoot('webtorrent', from)
  for (const pkg of PATCHED_STACK) {
    const root =
      pkg.name === 'webtorrent' ? webtorrent : findPackageRoot(pkg.name, webtorrent ?? from)
    const problem = patchProblem(pkg, root)
    if (problem) throw new Error(problem)
  }
}
