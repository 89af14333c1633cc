import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import { builtinModules } from 'node:module'

/*
 * Architecture boundaries. They use the typescript-eslint twin of no-restricted-imports because ESLint
 * keeps one configuration per rule and file (a later block replaces an earlier one): the core rule stays
 * free for other restrictions, such as who may import webtorrent. The zones below do not overlap, so each
 * file gets exactly one list. src/main/lint-boundaries.test.ts checks that each rule bites.
 */
const restrict = '@typescript-eslint/no-restricted-imports'
const sharedAlias = {
  regex: '^(\\.\\./)+shared/',
  message: 'Import src/shared as @shared/… rather than by counting ../',
}
// A regex, not a gitignore group: a group `events` would also match a local `./events`.
const nodeNames = builtinModules.filter((m) => !m.startsWith('node:') && !m.includes('/'))
const nodeApi = {
  regex: `^(node:|(${nodeNames.join('|')})(/|$))`,
  message: 'Runs in a browser context too: no Node API here.',
}
const electronMessage =
  'Only src/main/desktop, src/main/index.ts and src/preload may import electron.'
const relativeInto = (dirs) => `^\\.\\.?/(.*/)?(${dirs.join('|')})(/|$)`
const boundaries = [
  {
    // The page sees the main process only through the preload's bridge and the shared contract.
    files: ['src/renderer/**'],
    rules: {
      [restrict]: [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer reaches Electron only through the preload bridge.',
            },
          ],
          patterns: [
            nodeApi,
            {
              regex: relativeInto(['main', 'preload']),
              message: 'The renderer imports only its own code and src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/preload/**'],
    rules: {
      [restrict]: [
        'error',
        {
          patterns: [
            nodeApi,
            {
              regex: relativeInto(['main', 'renderer']),
              message: 'The preload imports only electron, its own code and src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    // Loaded by the renderer, the preload, main and the CLI alike.
    files: ['src/shared/**'],
    rules: {
      [restrict]: [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/shared runs everywhere: no Electron here.' }],
          patterns: [
            nodeApi,
            { regex: '^\\.\\./', message: 'src/shared imports only src/shared and packages.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'process',
          'Buffer',
          'global',
          'require',
          'module',
          '__dirname',
          '__filename',
          'setImmediate',
        ].map((name) => ({
          name,
          message: 'Runs in a browser context too: no Node globals here.',
        })),
      ],
    },
  },
  {
    // The engine, CLI, remote server and engine host run under plain Node.
    files: ['src/**/*.ts'],
    ignores: [
      'src/renderer/**',
      'src/preload/**',
      'src/shared/**',
      'src/main/desktop/**',
      'src/main/index.ts',
    ],
    rules: { [restrict]: ['error', { paths: [{ name: 'electron', message: electronMessage }] }] },
  },
  {
    // IPC is the trust boundary: one file registers every handler, with its sender check.
    files: ['src/main/desktop/**', 'src/main/index.ts'],
    ignores: ['src/main/desktop/ipc.ts'],
    rules: {
      [restrict]: [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message: 'Only src/main/desktop/ipc.ts (and the preload) use ipcMain / ipcRenderer.',
            },
          ],
        },
      ],
    },
  },
]

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'packages/**',
      'patches/**',
      'patches-optional/**',
      'coverage/**',
      'test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'vue/no-v-html': 'error',
      'vue/multi-word-component-names': 'off',
    },
  },
  ...boundaries,
  {
    // One way to reach src/shared: the @shared alias, which every tool resolves (see docs/architecture.md).
    files: ['src/**/*.ts', 'src/**/*.vue'],
    rules: { 'no-restricted-imports': ['error', { patterns: [sharedAlias] }] },
  },
  {
    // Only the engine's backend imports webtorrent, so its objects never leak past the TorrentBackend
    // seam. (It repeats the alias pattern: a later no-restricted-imports replaces, not extends, one.)
    files: ['src/**/*.ts'],
    ignores: ['src/main/engine/backend/**', 'src/types/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'webtorrent',
              message: 'Only src/main/engine/backend/ imports webtorrent (see backend/types.ts).',
            },
          ],
          patterns: [sharedAlias],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
)
