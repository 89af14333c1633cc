/**
 * A bounded set of open files, least recently used closed first, so a torrent of thousands of files
 * never holds thousands of descriptors. A file in use is never closed under its user: the pool may
 * then exceed its bound until the use ends.
 */
import type { promises as fs } from 'node:fs'

type Handle = Pick<fs.FileHandle, 'close'>

/**
 * Files unused this long are closed: a session of hundreds of seeding torrents would otherwise keep a
 * descriptor per torrent open from its first check on (bench/README.md, scale), as the bound is per pool.
 */
const IDLE_CLOSE_MS = 10_000

interface Slot<H> {
  handle: Promise<H>
  users: number
}

export class FilePool<H extends Handle = fs.FileHandle> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly slots = new Map<string, Slot<H>>()
  private closed = false
  private idleTimer: NodeJS.Timeout | null = null

  constructor(
    private readonly max: number,
    private readonly idleMs = IDLE_CLOSE_MS,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`pool size must be >= 1: ${max}`)
  }

  get size(): number {
    return this.slots.size
  }

  has(key: string): boolean {
    return this.slots.has(key)
  }

  /** Runs `fn` with the file under `key`, opening it with `open` when it is not open yet. */
  async use<T>(key: string, open: () => Promise<H>, fn: (handle: H) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the file pool is closed')
    let slot = this.slots.get(key)
    if (slot) {
      this.slots.delete(key)
    } else {
      const opening = open()
      const created: Slot<H> = { handle: opening, users: 0 }
      slot = created
      // A failed open is forgotten, so the next use tries again.
      opening.catch(() => {
        if (this.slots.get(key) === created) this.slots.delete(key)
      })
    }
    this.slots.set(key, slot)
    slot.users++
    this.evict()
    try {
      return await fn(await slot.handle)
    } finally {
      slot.users--
      this.evict()
      this.armIdleClose()
    }
  }

  /** Closes every file; later uses fail. */
  async closeAll(): Promise<void> {
    this.closed = true
    if (this.idleTimer) clearTimeout(this.idleTimer)
    const all = [...this.slots.values()]
    this.slots.clear()
    await Promise.all(all.map((slot) => closeSlot(slot)))
  }

  private armIdleClose(): void {
    if (this.idleTimer) {
      this.idleTimer.refresh()
      return
    }
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null
      for (const [key, slot] of this.slots) {
        if (slot.users > 0) continue
        this.slots.delete(key)
        void closeSlot(slot)
      }
    }, this.idleMs)
    this.idleTimer.unref()
  }

  private evict(): void {
    for (const [key, slot] of this.slots) {
      if (this.slots.size <= this.max) return
      if (slot.users > 0) continue
      this.slots.delete(key)
      void closeSlot(slot)
    }
  }
}

async function closeSlot<H extends Handle>(slot: Slot<H>): Promise<void> {
  try {
    await (await slot.handle).close()
  } catch {
    // Never opened, or already closed: nothing is left to release.
  }
}
