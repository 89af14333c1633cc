import { describe, expect, it } from 'vitest'
import {
  MAX_TORRENT_FILE_BASE64_CHARS,
  MAX_TORRENT_FILE_BYTES,
  MAX_TORRENT_FILE_SIZE_TEXT,
} from './limits'
import { REMOTE_MAX_MESSAGE_BYTES } from './remote-protocol'
import { TorrentSourceSchema } from './schema'

describe('the .torrent size limit', () => {
  it('admits a base64 .torrent of exactly the limit through the API schema, and no more', () => {
    const atLimit = Buffer.alloc(MAX_TORRENT_FILE_BYTES).toString('base64')
    expect(atLimit.length).toBe(MAX_TORRENT_FILE_BASE64_CHARS)
    expect(TorrentSourceSchema.safeParse({ kind: 'file', data: atLimit }).success).toBe(true)
    const over = Buffer.alloc(MAX_TORRENT_FILE_BYTES + 3).toString('base64')
    const result = TorrentSourceSchema.safeParse({ kind: 'file', data: over })
    expect(result.error?.issues[0]?.message).toBe(
      `a .torrent file is at most ${MAX_TORRENT_FILE_SIZE_TEXT}`,
    )
  })

  it('fits a largest .torrent, base64 in a JSON message, within a remote message', () => {
    expect(MAX_TORRENT_FILE_BASE64_CHARS + 64 * 1024).toBeLessThan(REMOTE_MAX_MESSAGE_BYTES)
  })

  it('reads as users see it', () => {
    expect(MAX_TORRENT_FILE_SIZE_TEXT).toBe('10 MB')
  })
})
