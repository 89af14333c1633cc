// Applies the patches in patches-optional/ to the optional dependencies that did install. patch-package
// fails on a patch for a package that is absent, and optional native packages (utp-native) legitimately
// are where no prebuilt binary or compiler exists; they must not break `npm ci`.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'

const dir = 'patches-optional'
const present = readdirSync(dir)
  .filter((f) => f.endsWith('.patch'))
  .filter((f) => existsSync(path.join('node_modules', f.slice(0, f.lastIndexOf('+')), 'package.json')))
if (present.length > 0) {
  execFileSync(process.execPath, ['node_modules/patch-package/index.js', '--patch-dir', dir], {
    stdio: 'inherit',
  })
}
