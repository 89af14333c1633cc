import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import { devCsp, withCspMeta } from './src/main/desktop/csp'

/**
 * In development the page's CSP meta tag (the built app's policy) becomes the dev policy for this dev
 * server's exact origin, the one main also sends as a header (src/main/desktop/csp.ts says why).
 */
function devServerCsp(): Plugin {
  return {
    name: 'seedling-dev-csp',
    apply: 'serve',
    transformIndexHtml(html, ctx) {
      const url = process.env['ELECTRON_RENDERER_URL'] ?? ctx.server?.resolvedUrls?.local[0]
      if (!url) throw new Error('the dev server URL is not known yet')
      return withCspMeta(html, devCsp(url))
    },
  }
}

// `@shared/x` is src/shared/x everywhere: here, tsconfig*.json paths, vitest.config.ts and scripts/build-cli.mjs.
const alias = { '@shared': resolve('src/shared') }

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      // host-entry runs the engine in a utility process (src/main/engine-host); index.ts forks it.
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          'host-entry': resolve('src/main/engine-host/host-entry.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias },
    // A sandboxed preload cannot require() anything, so its dependencies are bundled into one CommonJS file.
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    resolve: { alias },
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [vue(), devServerCsp()],
  },
})
