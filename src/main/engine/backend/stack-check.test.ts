import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PATCHED_STACK, verifyPatchedStack } from './stack-check'

describe('the patched-stack check', () => {
  let root: string

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'seedling-stack-check-'))
  })

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true })
  })

  /** A fake install of the whole stack under `root`, every package at its pinned version, patched. */
  async function install(change: { name: string; version?: string; source?: string } | null) {
    for (const pkg of PATCHED_STACK) {
      const dir = path.join(root, 'node_modules', pkg.name)
      await fs.mkdir(dir, { recursive: true })
      const mine = change?.name === pkg.name ? change : null
      const version = mine?.version ?? pkg.version
      await fs.writeFile(
        path.join(dir, 'package.json'),
        JSON.stringify({ name: pkg.name, version }),
      )
      const source = mine?.source ?? '// Seedling: a patched line\nmodule.exports = {}\n'
      await fs.writeFile(path.join(dir, pkg.file), source)
    }
  }

  it('passes the installed stack', () => {
    expect(() => verifyPatchedStack(path.dirname(fileURLToPath(import.meta.url)))).not.toThrow()
  })

  it('passes a fake stack that is pinned and patched', async () => {
    await install(null)
    expect(() => verifyPatchedStack(path.join(root, 'app'))).not.toThrow()
  })

  it('fails on a package without the patch, naming it', async () => {
    await install({ name: 'ut_pex', source: 'module.exports = {}\n' })
    expect(() => verifyPatchedStack(root)).toThrow(
      "ut_pex 5.0.2 lacks Seedling's patch (patches/ut_pex+5.0.2.patch): run npm ci",
    )
  })

  it('fails on another version, naming it', async () => {
    await install({ name: 'webtorrent', version: '3.0.22' })
    expect(() => verifyPatchedStack(root)).toThrow(
      'webtorrent 3.0.22 is not the patched 3.0.21 Seedling needs: run npm ci',
    )
  })

  it('fails on a missing package', async () => {
    await install(null)
    await fs.rm(path.join(root, 'node_modules', 'throughput'), { recursive: true })
    expect(() => verifyPatchedStack(root)).toThrow(/^throughput is not installed/)
  })
})
