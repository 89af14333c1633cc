import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The same `@shared` alias as electron.vite.config.ts; inline projects do not inherit the root's resolve.
const resolve = { alias: { '@shared': fileURLToPath(new URL('./src/shared', import.meta.url)) } }

// Networked suites (integration, interop) talk only to 127.0.0.1; .ci/run runs them inside a fresh
// network namespace where loopback is the only interface.
export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          environment: 'node',
          // test/fuzz: property tests of the parsers we run from the stack (wire, extensions), each bounded in time.
          include: ['src/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
          exclude: ['src/renderer/**'],
        },
      },
      {
        resolve,
        plugins: [vue()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['src/renderer/**/*.test.ts'],
          setupFiles: ['src/renderer/src/test/i18n-setup.ts'],
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          environment: 'node',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        resolve,
        test: {
          name: 'interop',
          environment: 'node',
          include: ['test/interop/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        resolve,
        // Chromium (playwright-core, /usr/bin/chromium) against `seedling serve`, on loopback only.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        resolve,
        // The built app against an electron stand-in, its window in Chromium; no Electron binary needed.
        test: {
          name: 'desktop',
          environment: 'node',
          include: ['test/desktop/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        resolve,
        // Playwright's Electron driver against the built app; skips where no Electron binary exists.
        test: {
          name: 'electron',
          environment: 'node',
          include: ['test/electron/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
