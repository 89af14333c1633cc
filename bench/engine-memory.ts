// Memory readings the engine driver (engine-driver.ts) answers for bench/memory-scale.ts: V8's view
// of the heap after a full collection, and V8's sampling heap profiler over a phase.
import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8'

/** process.memoryUsage() in bytes, read after a full collection when node runs with --expose-gc. */
export type MemoryReply = NodeJS.MemoryUsage & {
  collected: boolean
  /** V8's heap spaces: bytes reserved and used. */
  spaces: Record<string, { size: number; used: number }>
  /** V8's own malloc (compiler zones, tables) now and at its peak; the heap's resident size. */
  mallocedMemory: number
  peakMallocedMemory: number
  totalPhysicalSize: number
}

export function memory(): MemoryReply {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const spaces = Object.fromEntries(
    getHeapSpaceStatistics().map((s) => [
      s.space_name,
      { size: s.space_size, used: s.space_used_size },
    ]),
  )
  const h = getHeapStatistics()
  return {
    ...process.memoryUsage(),
    collected: gc !== undefined,
    spaces,
    mallocedMemory: h.malloced_memory,
    peakMallocedMemory: h.peak_malloced_memory,
    totalPhysicalSize: h.total_physical_size,
  }
}

let sampling: Session | undefined

/**
 * Starts V8's sampling heap profiler counting objects later collected too, so short-lived garbage
 * shows where it comes from (a heap snapshot shows only what survives); with `file`, stops it and
 * writes the .heapprofile there (bench/alloc-summary.mjs reads it).
 */
export async function allocations(file?: string): Promise<void> {
  if (!file) {
    sampling = new Session()
    sampling.connect()
    await sampling.post('HeapProfiler.startSampling', {
      samplingInterval: 32 * 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
    return
  }
  if (!sampling) throw new Error('allocation sampling was not started')
  const { profile } = await sampling.post('HeapProfiler.stopSampling')
  sampling.disconnect()
  sampling = undefined
  await writeFile(file, JSON.stringify(profile))
}
