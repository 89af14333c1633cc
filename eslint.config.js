import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'

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
  {
    // The engine, CLI and remote server run under plain Node: only the desktop glue may touch Electron.
    files: ['src/**/*.ts', 'src/**/*.vue'],
    ignores: ['src/main/desktop/**', 'src/main/index.ts', 'src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only src/main/desktop, src/main/index.ts and src/preload may import electron.',
            },
          ],
        },
      ],
    },
  },
  {
    // One adapter file is the only importer of webtorrent, so its objects never leak past it.
    files: ['src/**/*.ts'],
    ignores: ['src/main/engine/webtorrent-adapter.ts', 'src/main/engine/*.test.ts', 'src/types/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only src/main/desktop, src/main/index.ts and src/preload may import electron.',
            },
            {
              name: 'webtorrent',
              message: 'Only src/main/engine/webtorrent-adapter.ts imports webtorrent.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/desktop/**', 'src/main/index.ts', 'src/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
)
