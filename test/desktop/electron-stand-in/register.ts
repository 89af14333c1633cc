/**
 * `--import`ed before the built main bundle: the bare specifier `electron` resolves to the stand-in,
 * for `import` and `require` alike (module.registerHooks runs in this thread, so tsx loads the .ts).
 */
import { registerHooks } from 'node:module'

const standIn = new URL('./index.ts', import.meta.url).href

registerHooks({
  resolve: (specifier, context, nextResolve) =>
    specifier === 'electron'
      ? { url: standIn, shortCircuit: true }
      : nextResolve(specifier, context),
})
