import { build } from 'esbuild'
import type { Metafile } from 'esbuild'
import { describe, expect, it } from 'vitest'

/** How scripts/build-cli.mjs bundles the CLI, without writing anything. */
async function bundle(entry: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    write: false,
    metafile: true,
    outdir: 'out/startup-graph-test',
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  })
  return result.metafile
}

/**
 * The packages loaded before the entry module runs: external imports reached through static imports
 * only (a dynamic import() is loaded when its command runs).
 */
function staticPackages(meta: Metafile): string[] {
  const entry = Object.keys(meta.outputs).find((name) => meta.outputs[name]?.entryPoint)
  const seen = new Set<string>()
  const packages = new Set<string>()
  const visit = (name: string): void => {
    if (seen.has(name)) return
    seen.add(name)
    for (const i of meta.outputs[name]?.imports ?? []) {
      if (i.kind !== 'import-statement') continue
      if (i.external) {
        if (!i.path.startsWith('node:')) packages.add(i.path)
      } else visit(i.path)
    }
  }
  if (entry) visit(entry)
  return [...packages]
}

// `seedling info` and `create` should start about as fast as node itself: zod alone takes ~50 ms to
// load and webtorrent several hundred, so neither may enter these commands' import graphs.
describe('CLI start-up import graph', () => {
  it.each(['src/main/cli/info-command.ts', 'src/main/cli/create-command.ts'])(
    '%s loads no package',
    async (entry) => {
      expect(staticPackages(await bundle(entry))).toEqual([])
    },
  )

  it('index.ts loads no package before a command is chosen', async () => {
    const meta = await bundle('src/main/cli/index.ts')
    expect(staticPackages(meta)).toEqual([])
    const all = Object.values(meta.outputs).flatMap((o) => o.imports.map((i) => i.path))
    expect(all).toContain('webtorrent')
  })
})
