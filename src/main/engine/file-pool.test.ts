import { describe, expect, it } from 'vitest'
import { FilePool } from './file-pool'

class FakeHandle {
  closed = false
  constructor(readonly key: string) {}
  async close(): Promise<void> {
    this.closed = true
  }
}

function tracker() {
  const opened: FakeHandle[] = []
  const open = (key: string) => async () => {
    const h = new FakeHandle(key)
    opened.push(h)
    return h
  }
  const openNow = () => opened.filter((h) => !h.closed).map((h) => h.key)
  return { opened, open, openNow }
}

describe('FilePool', () => {
  it('closes files left unused for its idle time, but never one in use', async () => {
    const pool = new FilePool<FakeHandle>(4, 40)
    const t = tracker()
    await pool.use('a', t.open('a'), async () => undefined)
    let release = (): void => undefined
    const busy = pool.use('b', t.open('b'), () => new Promise<void>((r) => (release = r)))
    await new Promise((r) => setTimeout(r, 100))
    expect(t.openNow()).toEqual(['b'])
    release()
    await busy
    await new Promise((r) => setTimeout(r, 100))
    expect(t.openNow()).toEqual([])
    expect(pool.size).toBe(0)
  })

  it('keeps at most `max` files open, closing the least recently used first', async () => {
    const pool = new FilePool<FakeHandle>(2)
    const t = tracker()
    for (const key of ['a', 'b', 'a', 'c']) await pool.use(key, t.open(key), async () => undefined)
    // 'a' was used after 'b', so 'b' is the one closed when 'c' opens
    expect(t.openNow().sort()).toEqual(['a', 'c'])
    expect(t.opened.map((h) => h.key)).toEqual(['a', 'b', 'c'])
    expect(pool.size).toBe(2)
  })

  it('reuses an open file instead of opening it again', async () => {
    const pool = new FilePool<FakeHandle>(4)
    const t = tracker()
    const seen = await Promise.all([1, 2, 3].map(() => pool.use('a', t.open('a'), async (h) => h)))
    expect(t.opened).toHaveLength(1)
    expect(new Set(seen).size).toBe(1)
  })

  it('never closes a file while it is in use, and closes it once the use ends', async () => {
    const pool = new FilePool<FakeHandle>(1)
    const t = tracker()
    let release!: () => void
    const busy = pool.use('a', t.open('a'), () => new Promise<void>((r) => (release = r)))
    await new Promise((r) => setTimeout(r, 0))
    await pool.use('b', t.open('b'), async () => undefined)
    expect(t.opened[0]!.closed).toBe(false)
    release()
    await busy
    expect(t.openNow()).toHaveLength(1)
  })

  it('forgets a failed open so the next use tries again', async () => {
    const pool = new FilePool<FakeHandle>(2)
    const t = tracker()
    await expect(
      pool.use(
        'a',
        () => Promise.reject(new Error('EACCES')),
        async () => undefined,
      ),
    ).rejects.toThrow('EACCES')
    await pool.use('a', t.open('a'), async () => undefined)
    expect(t.opened).toHaveLength(1)
  })

  it('closes everything on closeAll and refuses later uses', async () => {
    const pool = new FilePool<FakeHandle>(3)
    const t = tracker()
    for (const key of ['a', 'b']) await pool.use(key, t.open(key), async () => undefined)
    await pool.closeAll()
    expect(t.openNow()).toEqual([])
    await expect(pool.use('c', t.open('c'), async () => undefined)).rejects.toThrow(/closed/)
  })

  it('refuses a size below 1', () => {
    expect(() => new FilePool(0)).toThrow(RangeError)
  })
})
