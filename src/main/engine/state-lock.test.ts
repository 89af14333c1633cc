import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  acquireStateLock,
  isProcessAlive,
  LOCK_FILE,
  lockPid,
  StateLockedError,
} from './state-lock'

let root: string
let n = 0
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(tmpdir(), 'seedling-lock-'))
})
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true })
})

const fresh = (): string => path.join(root, `state${n++}`)
const lockText = (dir: string): Promise<string> => fs.readFile(path.join(dir, LOCK_FILE), 'utf8')
/** A pid that is certainly not running: the largest a pid can be on Linux, plus one. */
const DEAD_PID = 4_194_305

describe('state folder lock', () => {
  it('the first open takes the lock with its pid; a second open fails and names that pid', async () => {
    const dir = fresh()
    const first = await acquireStateLock(dir)
    expect(lockPid(await lockText(dir))).toBe(process.pid)
    const second = acquireStateLock(dir)
    await expect(second).rejects.toBeInstanceOf(StateLockedError)
    await expect(acquireStateLock(dir)).rejects.toThrow(
      `Seedling is already running with this state folder (pid ${process.pid}): ${dir}`,
    )
    await expect(acquireStateLock(dir)).rejects.toMatchObject({ code: 'locked' })
    // The failed opens left the first one's lock alone.
    expect(lockPid(await lockText(dir))).toBe(process.pid)
    await first.release()
  })

  it('is refused when the same folder is reached through a link', async () => {
    const dir = fresh()
    const first = await acquireStateLock(dir)
    const link = `${dir}-link`
    await fs.symlink(dir, link)
    await expect(acquireStateLock(link)).rejects.toThrow(`(pid ${process.pid})`)
    await first.release()
  })

  it('is refused while another live process holds it', async () => {
    const dir = fresh()
    await fs.mkdir(dir)
    await fs.writeFile(path.join(dir, LOCK_FILE), '4242\n')
    await expect(acquireStateLock(dir, { isAlive: (pid) => pid === 4242 })).rejects.toThrow(
      /pid 4242/,
    )
  })

  it('release frees the folder for the next open, and twice is harmless', async () => {
    const dir = fresh()
    const lock = await acquireStateLock(dir)
    await lock.release()
    await lock.release()
    await expect(fs.access(path.join(dir, LOCK_FILE))).rejects.toThrow()
    const again = await acquireStateLock(dir)
    await again.release()
  })

  it('takes over a stale lock whose pid is no longer running', async () => {
    const dir = fresh()
    await fs.mkdir(dir)
    await fs.writeFile(path.join(dir, LOCK_FILE), `${DEAD_PID}\n2024-01-01T00:00:00.000Z x\n`)
    expect(isProcessAlive(DEAD_PID)).toBe(false)
    const lock = await acquireStateLock(dir)
    expect(lockPid(await lockText(dir))).toBe(process.pid)
    await expect(acquireStateLock(dir)).rejects.toBeInstanceOf(StateLockedError)
    await lock.release()
    const left = await fs.readdir(dir)
    expect(left).toEqual([])
  })

  it('takes over a lock of its own pid that it does not hold (an earlier process with the same pid)', async () => {
    const dir = fresh()
    await fs.mkdir(dir)
    await fs.writeFile(path.join(dir, LOCK_FILE), `${process.pid}\nearlier life\n`)
    const lock = await acquireStateLock(dir)
    expect(await lockText(dir)).not.toContain('earlier life')
    await lock.release()
  })

  it('takes over a lock file that never got a pid, after a grace period', async () => {
    const dir = fresh()
    await fs.mkdir(dir)
    await fs.writeFile(path.join(dir, LOCK_FILE), '')
    const lock = await acquireStateLock(dir)
    expect(lockPid(await lockText(dir))).toBe(process.pid)
    await lock.release()
  })

  it('release leaves alone a lock that is no longer its own', async () => {
    const dir = fresh()
    const lock = await acquireStateLock(dir)
    await fs.writeFile(path.join(dir, LOCK_FILE), '4242\n')
    await lock.release()
    expect(await lockText(dir)).toBe('4242\n')
  })

  it('of two opens racing on one folder, exactly one wins', async () => {
    const dir = fresh()
    const results = await Promise.allSettled([acquireStateLock(dir), acquireStateLock(dir)])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const lost = results.find((r) => r.status === 'rejected')
    expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(StateLockedError)
    for (const r of results) if (r.status === 'fulfilled') await r.value.release()
  })

  it('reads the pid only from a well-formed first line', () => {
    expect(lockPid('123\nwhen')).toBe(123)
    expect(lockPid('')).toBeNull()
    expect(lockPid('0\n')).toBeNull()
    expect(lockPid('-5\n')).toBeNull()
    expect(lockPid('12ab\n')).toBeNull()
    expect(lockPid('99999999999\n')).toBeNull()
  })
})
