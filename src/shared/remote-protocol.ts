/**
 * The WebSocket wire format of the API (headless / web remote), shared by the server (src/main/remote) and
 * the browser client (src/renderer/src/api/ws-client.ts). One JSON text message per frame:
 *
 *   client → server  { id, method, params? }            a call of one `SeedlingApi` method
 *   server → client  { id, ok: true, value }             its result (`value` absent for void methods)
 *                    { id, ok: false, error: { message, code } }   a SeedlingError (shared/wire.ts)
 *                    { event, payload }                  one of `SeedlingEvents`
 *
 * Replies are the shared envelope (shared/wire.ts) plus the call's id. A reply to a message that could not
 * be read at all carries `id: null`.
 */
import { z } from 'zod'
import type { Reply } from './wire'

/** Where the WebSocket endpoint lives on the server. */
export const REMOTE_API_PATH = '/api'

/** Largest message either side accepts: a base64 .torrent (MAX_TORRENT_FILE_BASE64_CHARS) fits with room. */
export const REMOTE_MAX_MESSAGE_BYTES = 16 * 1024 * 1024

/** Calls one connection may have in flight at once; more are answered with an error at once. */
export const REMOTE_MAX_PENDING = 64

export const RemoteRequestSchema = z.object({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().min(1).max(128),
  params: z.unknown().optional(),
})
export type RemoteRequest = z.infer<typeof RemoteRequestSchema>

const ReplyId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable()

export const RemoteSuccessSchema = z.object({
  id: ReplyId,
  ok: z.literal(true),
  value: z.unknown().optional(),
})
/** Any code string is accepted: one this client does not know yet is read as `internal`, not dropped. */
export const RemoteFailureSchema = z.object({
  id: ReplyId,
  ok: z.literal(false),
  error: z.object({ message: z.string(), code: z.string() }),
})
export const RemoteReplySchema = z.discriminatedUnion('ok', [
  RemoteSuccessSchema,
  RemoteFailureSchema,
])

/** What the server sends in answer to a call. */
export type RemoteReply = Reply & { id: number | null }

export const RemoteEventSchema = z.object({
  event: z.string().min(1).max(128),
  payload: z.unknown().optional(),
})
export type RemoteEvent = z.infer<typeof RemoteEventSchema>

export const RemoteServerMessageSchema = z.union([RemoteReplySchema, RemoteEventSchema])
export type RemoteServerMessage = RemoteReply | RemoteEvent

/** WebSocket close codes the server uses, so the client can tell the user why. */
export const RemoteCloseCode = {
  /** The server is shutting down. */
  goingAway: 1001,
  /** A message was not acceptable (too large). */
  tooBig: 1009,
  /** The client fell too far behind on events; reconnecting resynchronizes it. */
  tryAgainLater: 1013,
} as const
