// Bundles the CLI (and the engine it runs) into out/cli/index.mjs for the `seedling` bin. Dependencies
// stay external: they are installed next to it, with Seedling's patches applied.
//
// Code splitting turns each command's dynamic import() into its own chunk, so `seedling info` loads
// only what reading a .torrent needs. Chunks sit beside index.mjs (not in a subfolder) because the
// engine and `serve` find files relative to their own module's URL.
import { rm } from 'node:fs/promises'
import { build } from 'esbuild'

const outdir = 'out/cli'
// Chunk names carry a content hash: stale ones from earlier builds would pile up.
await rm(outdir, { recursive: true, force: true })
await build({
  entryPoints: { index: 'src/main/cli/index.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  alias: { '@shared': './src/shared' },
  sourcemap: true,
  logLevel: 'warning',
})
