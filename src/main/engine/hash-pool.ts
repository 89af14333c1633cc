/**
 * Worker threads that read and hash jobs (hash-worker.ts). Each job goes to the thread with the fewest
 * queued, so a thread that runs late does not hold up the others.
 */
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import { Worker } from 'node:worker_threads'
import { BLOCK_LENGTH, HASH_WORKER_SOURCE, hashJob, nodeHashIo } from './hash-worker'
import type { HashJob, HashReply } from './hash-worker'

interface Waiter {
  resolve: (reply: HashReply) => void
  reject: (err: Error) => void
}

class HashThread {
  /** Jobs sent and not answered yet; a worker answers in order. */
  readonly waiting: Waiter[] = []
  private failure: Error | null = null
  private readonly worker = new Worker(HASH_WORKER_SOURCE, { eval: true })

  constructor() {
    // An idle pool kept for the next check must not keep the process alive; a busy one does.
    this.worker.unref()
    this.worker.on('message', (reply: HashReply) => {
      this.waiting.shift()?.resolve(reply)
      if (this.waiting.length === 0) this.worker.unref()
    })
    this.worker.on('error', (err) => this.fail(err))
    this.worker.on('exit', (code) => this.fail(new Error(`a hashing thread exited (code ${code})`)))
  }

  hash(job: HashJob): Promise<HashReply> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      this.worker.ref()
      this.worker.postMessage(job)
    })
  }

  async close(): Promise<void> {
    this.fail(new Error('the hashing threads were closed'))
    await this.worker.terminate()
  }

  private fail(err: Error): void {
    this.failure ??= err
    for (const w of this.waiting.splice(0)) w.reject(this.failure)
  }
}

export class HashPool {
  private readonly threads: HashThread[]

  constructor(size: number) {
    this.threads = Array.from({ length: Math.max(1, size) }, () => new HashThread())
  }

  get size(): number {
    return this.threads.length
  }

  hash(job: HashJob): Promise<HashReply> {
    const thread = this.threads.reduce((a, b) => (b.waiting.length < a.waiting.length ? b : a))
    return thread.hash(job)
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()))
  }
}

const io = nodeHashIo(fs, crypto)
let hereBuffer: Uint8Array | null = null

/** Hashes a job on this thread, one job per turn of the event loop: for inputs too small for threads. */
export function hashHere(job: HashJob): Promise<HashReply> {
  return new Promise((resolve) =>
    setImmediate(() => {
      hereBuffer ??= new Uint8Array(BLOCK_LENGTH)
      try {
        resolve({ digests: hashJob(job, io, hereBuffer) })
      } catch (err) {
        const e = err as NodeJS.ErrnoException & { changed?: boolean }
        resolve({ error: { message: e.message, code: e.code, changed: Boolean(e.changed) } })
      }
    }),
  )
}
