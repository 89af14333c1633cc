// Bundles the CLI (and the engine it runs) into out/cli/index.mjs for the `seedling` bin. Dependencies
// stay external: they are installed next to it, with Seedling's patches applied.
import { build } from 'esbuild'

await build({
  entryPoints: ['src/main/cli/index.ts'],
  outfile: 'out/cli/index.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  alias: { '@shared': './src/shared' },
  sourcemap: true,
  logLevel: 'warning',
})
