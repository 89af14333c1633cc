/**
 * Limits that several layers enforce (renderer, desktop main, API schema, engine). Each is written
 * once here so the layers cannot drift apart; no Node imports, the renderer loads this too.
 */

/** The largest .torrent file accepted anywhere: pickers, drops, open requests, the API, the decoder. */
export const MAX_TORRENT_FILE_BYTES = 10 * 1024 * 1024

/** The same limit as error messages word it (tests and users match on this text). */
export const MAX_TORRENT_FILE_SIZE_TEXT = `${MAX_TORRENT_FILE_BYTES / (1024 * 1024)} MB`

/** Base64 length of the largest .torrent (4 characters per 3 bytes, padded), as the API carries it. */
export const MAX_TORRENT_FILE_BASE64_CHARS = 4 * Math.ceil(MAX_TORRENT_FILE_BYTES / 3)

/** The highest TCP/UDP port number; 0 (where allowed) means "pick a free one". */
export const MAX_PORT = 65535

/** Piece lengths a created torrent may have (powers of two in between), in bytes. */
export const MIN_PIECE_LENGTH = 16 * 1024
export const MAX_CREATE_PIECE_LENGTH = 16 * 1024 * 1024
