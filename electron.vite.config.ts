import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  main: {
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
    resolve: { alias: { '@shared': resolve('src/shared') } },
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [vue()],
  },
})
