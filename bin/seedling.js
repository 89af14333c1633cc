#!/usr/bin/env node
// The `seedling` command: runs the bundled CLI (`npm run build:cli` makes it).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../out/cli/index.mjs', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write('seedling: the CLI is not built; run `npm run build:cli` first\n')
  process.exit(1)
}
await import(cli)
