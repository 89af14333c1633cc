import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Networked suites (integration, interop) talk only to 127.0.0.1; .ci/run runs them inside a fresh
// network namespace where loopback is the only interface.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          // test/fuzz: property tests of the parsers we run from the stack (wire, extensions), each bounded in time.
          include: ['src/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
          exclude: ['src/renderer/**'],
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['src/renderer/**/*.test.ts'],
        },
      },
      {
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
