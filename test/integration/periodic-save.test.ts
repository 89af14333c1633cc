/**
 * The running session is saved periodically on a monotonic clock: a wall clock set back (NTP, the
 * user, a resumed VM) must not stop the saves until it catches up with the last save time.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, expect, it, vi } from 'vitest'
import type { TorrentEngine } from '../../src/main/engine/engine'
import { openEngine, tempDir } from './helpers/engines'

const engines: TorrentEngine[] = []
const dirs: string[] = []

afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(engines.splice(0).map((e) => e.close()))
  await Promise.all(dirs.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })))
})

it('keeps saving the session after the wall clock jumps back an hour', async () => {
  const root = await tempDir('periodic-save')
  dirs.push(root)
  const state = path.join(root, 'state')
  const engine = await openEngine(state, path.join(root, 'dl'), { tickMs: 20, saveEveryMs: 100 })
  engines.push(engine)
  const session = path.join(state, 'session.json')
  // Each save renames a new file over it while the old one is kept as .bak: its inode changes.
  let inode = (await fs.stat(session)).ino
  let saves = 0

  const realNow = Date.now.bind(Date)
  const jumpedBack = realNow() - 3_600_000
  const started = realNow()
  vi.spyOn(Date, 'now').mockImplementation(() => jumpedBack + (realNow() - started))

  const deadline = realNow() + 5_000
  while (saves < 3 && realNow() < deadline) {
    await new Promise((r) => setTimeout(r, 25))
    const st = await fs.stat(session).catch(() => null)
    if (st && st.ino !== inode) {
      inode = st.ino
      saves++
    }
  }
  expect(saves).toBeGreaterThanOrEqual(3)
})
