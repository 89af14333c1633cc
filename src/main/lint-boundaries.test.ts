/**
 * The architecture boundaries in eslint.config.js are only worth anything if they fire: each is fed a
 * snippet that crosses it (and one that does not) through ESLint's own API, with the repository's config.
 */
import path from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const boundaryRules = new Set([
  '@typescript-eslint/no-restricted-imports',
  'no-restricted-globals',
  'no-restricted-imports',
])

let eslint: ESLint
beforeAll(() => {
  eslint = new ESLint({ cwd: root })
})

/** Every problem ESLint reports for `code` as if it were the file at `file` (relative to the repo). */
async function problems(file: string, code: string): Promise<Array<{ rule: string | null }>> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return (result?.messages ?? []).map((m) => ({ rule: m.ruleId }))
}

async function boundaryErrors(file: string, code: string): Promise<number> {
  return (await problems(file, code)).filter((p) => p.rule && boundaryRules.has(p.rule)).length
}

const use = (source: string): string => `import * as m from '${source}'\nexport default m\n`

describe('lint boundaries', () => {
  it.each([
    ['src/renderer/src/stores/x.ts', '../../../main/desktop/tray'],
    ['src/renderer/src/x.ts', '../../preload/bridge'],
    ['src/renderer/src/x.ts', 'electron'],
    ['src/renderer/src/x.ts', 'node:fs'],
    ['src/renderer/src/x.ts', 'path'],
    ['src/preload/x.ts', '../main/desktop/desktop-channels'],
    ['src/preload/x.ts', '../renderer/src/api/client'],
    ['src/preload/x.ts', 'node:path'],
    ['src/shared/x.ts', 'node:fs'],
    ['src/shared/x.ts', 'fs/promises'],
    ['src/shared/x.ts', 'crypto'],
    ['src/shared/x.ts', '../main/engine/engine'],
    ['src/shared/x.ts', 'electron'],
    ['src/main/engine/x.ts', 'electron'],
    ['src/main/engine/backend/x.ts', 'electron'],
    ['src/main/cli/x.ts', 'electron'],
    ['src/main/remote/x.ts', 'electron'],
    ['src/main/engine-host/x.ts', 'electron'],
    ['src/main/api-dispatch.ts', 'electron'],
  ])('%s may not import %s', async (file, source) => {
    expect(await boundaryErrors(file, use(source))).toBe(1)
  })

  it('covers the script of a renderer .vue file too', async () => {
    const sfc = `<script setup lang="ts">\nimport { tray } from '../../../main/desktop/tray'\ntray()\n</script>\n`
    expect(await boundaryErrors('src/renderer/src/components/X.vue', sfc)).toBe(1)
  })

  it('keeps Node globals out of src/shared', async () => {
    const code = 'export const home = process.env.HOME\nexport const b = Buffer.from("")\n'
    expect(await boundaryErrors('src/shared/x.ts', code)).toBe(2)
  })

  it('keeps ipcMain and ipcRenderer in desktop/ipc.ts and the preload', async () => {
    const ipcMain = `import { ipcMain } from 'electron'\nexport default ipcMain\n`
    expect(await boundaryErrors('src/main/desktop/window-controller.ts', ipcMain)).toBe(1)
    expect(await boundaryErrors('src/main/index.ts', ipcMain)).toBe(1)
    expect(await problems('src/main/desktop/ipc.ts', ipcMain)).toEqual([])
    const ipcRenderer = `import { ipcRenderer } from 'electron'\nexport default ipcRenderer\n`
    expect(await problems('src/preload/x.ts', ipcRenderer)).toEqual([])
    // A namespace import could reach ipcMain, so the desktop names what it uses.
    const app = `import { app } from 'electron'\nexport default app\n`
    expect(await problems('src/main/desktop/x.ts', app)).toEqual([])
    expect(await problems('src/main/index.ts', app)).toEqual([])
  })

  it.each([
    ['src/renderer/src/stores/x.ts', '../../../shared/api'],
    ['src/main/engine/x.ts', '../../shared/api'],
    ['src/main/engine/backend/x.ts', '../../../shared/api'],
    ['src/main/desktop/x.ts', '../../shared/channels'],
  ])('%s reaches src/shared through the alias, not %s', async (file, source) => {
    expect(await boundaryErrors(file, use(source))).toBe(1)
  })

  it.each([
    ['src/renderer/src/stores/x.ts', '@shared/api'],
    ['src/renderer/src/stores/x.ts', '../lib/main-view'],
    ['src/renderer/src/x.ts', 'vue'],
    ['src/preload/x.ts', 'electron'],
    ['src/preload/x.ts', '@shared/api'],
    ['src/main/engine/x.ts', '@shared/api'],
    ['src/shared/x.ts', './api'],
    ['src/shared/x.ts', 'zod'],
    ['src/main/engine/x.ts', 'node:fs'],
  ])('%s may import %s', async (file, source) => {
    expect(await problems(file, use(source))).toEqual([])
  })
})
