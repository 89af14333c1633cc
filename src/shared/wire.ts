/**
 * The one reply envelope every transport carries (Electron IPC, the WebSocket, the engine host): a value,
 * or an error as a message and a code from `seedlingErrorCodes`. A SeedlingError thrown on one side is
 * rebuilt with the same code on the other, so a client can tell "already added" from "not a torrent".
 * Free of zod: the preload bundles it.
 */
import { SeedlingError, seedlingErrorCodes } from './api'
import type { SeedlingErrorCode } from './api'

export interface WireError {
  /** One line, safe to show to the user. */
  message: string
  code: SeedlingErrorCode
}

export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: WireError }

/** An API whose methods resolve to envelopes instead of throwing: what crosses a structured-clone bridge. */
export type ReplyApi<Api> = {
  [K in keyof Api]: Api[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => Promise<Reply<R>>
    : never
}

/** Longest message of an unexpected error that leaves the process; a stack or a dump stays behind. */
const MAX_INTERNAL_MESSAGE = 500

const knownCodes: ReadonlySet<string> = new Set(seedlingErrorCodes)

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

function isErrorCode(code: unknown): code is SeedlingErrorCode {
  return typeof code === 'string' && knownCodes.has(code)
}

/** The code of an error from any client (a SeedlingError or an error with a known `code`), else internal. */
export function errorCodeOf(err: unknown): SeedlingErrorCode {
  const code = isObject(err) ? err['code'] : undefined
  return isErrorCode(code) ? code : 'internal'
}

/** SeedlingErrors cross as they are; anything else is labelled internal and cut to its first line. */
export function toWireError(err: unknown): WireError {
  if (err instanceof SeedlingError) return { message: err.message, code: err.code }
  const text = err instanceof Error ? err.message : String(err)
  const line = text.split('\n', 1)[0]!.slice(0, MAX_INTERNAL_MESSAGE)
  return { message: `internal error: ${line}`, code: 'internal' }
}

/** A code this side does not know (a newer peer) is read as internal rather than dropped. */
export function fromWireError(error: { message: string; code?: unknown }): SeedlingError {
  return new SeedlingError(error.message, isErrorCode(error.code) ? error.code : 'internal')
}

/** Runs `work` and answers in the envelope; it never rejects, whatever `work` throws or rejects with. */
export async function toReply<T>(work: () => T | Promise<T>): Promise<Reply<T>> {
  try {
    return { ok: true, value: await work() }
  } catch (err) {
    return { ok: false, error: toWireError(err) }
  }
}

/** The value of a successful reply; a failed one throws the SeedlingError it carries. */
export function fromReply<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.value
  throw fromWireError(reply.error)
}

/** Structural check for envelopes from another process or context; the code is checked by `fromReply`. */
export function isReply(v: unknown): v is Reply {
  if (!isObject(v)) return false
  if (v['ok'] === true) return true
  return v['ok'] === false && isObject(v['error']) && typeof v['error']['message'] === 'string'
}
