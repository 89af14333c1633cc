import { describe, expect, it } from 'vitest'
import {
  MAX_TORRENT_FILE_BASE64_CHARS,
  MAX_TORRENT_FILE_BYTES,
  MAX_TORRENT_FILE_SIZE_TEXT,
} from './limits'
import { REMOTE_MAX_MESSAGE_BYTES } from './remote-protocol'
import { TorrentSourceSchema } from './schema'

/** Base64 of `n` zero bytes, written out so the test does not share the limit's formula. */
function zerosBase64(n: number): string {
  const tail = ['', 'AA==', 'AAA='][n % 3] as string
  return 'A'.repeat(4 * Math.floor(n / 3)) + tail
}

describe('the .torrent size limit', () => {
  it('admits a base64 .torrent of exactly the limit through the API schema, and no more', () => {
    const atLimit = zerosBase64(MAX_TORRENT_FILE_BYTES)
    expect(atLimit.length).toBe(MAX_TORRENT_FILE_BASE64_CHARS)
    expect(TorrentSourceSchema.safeParse({ kind: 'file', data: atLimit }).success).toBe(true)
    const over = zerosBase64(MAX_TORRENT_FILE_BYTES + 3)
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
