// Minimal ambient declarations for untyped dependencies: only what Seedling uses, kept accurate.

declare module 'bencode' {
  const bencode: {
    encode(value: unknown): Uint8Array
    decode(data: Uint8Array, encoding?: string): unknown
  }
  export default bencode
}

declare module 'bittorrent-peerid' {
  export default function peerid(id: Uint8Array | string): { client: string; version: string }
}

declare module 'webtorrent' {
  import type { EventEmitter } from 'node:events'
  import type { AddressInfo } from 'node:net'

  /** A parsed torrent in parse-torrent's shape (what `client.add` accepts besides ids and buffers). */
  export interface ParsedTorrentLike {
    info: Record<string, unknown>
    infoBuffer: Uint8Array
    infoHash: string
    infoHashBuffer?: Uint8Array
    name: string
    private?: boolean
    created?: Date
    createdBy?: string
    comment?: string
    announce: string[]
    urlList: string[]
    files: Array<{ path: string; name: string; length: number; offset: number }>
    length: number
    pieceLength: number
    lastPieceLength: number
    pieces: string[]
  }

  /** Seedling patch: replaces parse-torrent for an info dictionary fetched from peers. */
  export type ParseMetadata = (
    infoBuffer: Uint8Array,
  ) => ParsedTorrentLike | Promise<ParsedTorrentLike>

  export interface TorrentOptions {
    path?: string
    announce?: string[]
    skipVerify?: boolean
    /** Resume: a packed bitfield of pieces verified before a clean shutdown. */
    bitfield?: Uint8Array
    /** Resume: per file, the mtime (ms) recorded with `bitfield` (from `getFileModtimes`). */
    fileModtimes?: Array<number | null | undefined>
    /** Seedling patch: per file, the on-disk size recorded with `bitfield`. */
    fileSizes?: Array<number | null | undefined>
    destroyStoreOnDestroy?: boolean
    deselect?: boolean
    parseMetadata?: ParseMetadata
    [key: string]: unknown
  }

  export interface TorrentFile {
    name: string
    path: string
    length: number
    offset: number
  }

  export interface Torrent extends EventEmitter {
    infoHash: string
    magnetURI: string
    name: string
    path: string
    ready: boolean
    done: boolean
    destroyed: boolean
    progress: number
    length: number
    pieceLength: number
    files: TorrentFile[]
    pieces: Array<unknown | null>
    metadata: Uint8Array | null
    torrentFile: Uint8Array
    infoBuffer?: Uint8Array
    numPeers: number
    wires: Array<EventEmitter & { destroyed: boolean }>
    bitfield: { buffer: Uint8Array; get(index: number): boolean }
    addPeer(peer: string): boolean
    getFileModtimes(
      cb: (
        err: Error | null,
        mtimes: Array<number | undefined>,
        sizes: Array<number | undefined>,
      ) => void,
    ): void
    destroy(opts?: { destroyStore?: boolean }, cb?: (err?: Error | null) => void): void
  }

  export interface ClientOptions {
    dht?: boolean | object
    lsd?: boolean
    natUpnp?: boolean
    natPmp?: boolean
    tracker?: boolean | object
    utPex?: boolean
    utp?: boolean
    webSeeds?: boolean
    torrentPort?: number
    parseMetadata?: ParseMetadata
    [key: string]: unknown
  }

  export default class WebTorrent extends EventEmitter {
    constructor(opts?: ClientOptions)
    torrents: Torrent[]
    listening: boolean
    destroyed: boolean
    address(): AddressInfo | null
    add(
      torrentId: string | Uint8Array | ParsedTorrentLike,
      opts?: TorrentOptions,
      ontorrent?: (torrent: Torrent) => void,
    ): Torrent
    seed(
      input: string | string[] | Uint8Array,
      opts?: TorrentOptions & { name?: string; pieceLength?: number },
      onseed?: (torrent: Torrent) => void,
    ): Torrent
    destroy(cb?: (err?: Error | null) => void): void
  }
}

declare module 'parse-torrent' {
  import type { ParsedTorrentLike } from 'webtorrent'
  export default function parseTorrent(torrentId: string | Uint8Array): Promise<ParsedTorrentLike>
  export function toTorrentFile(parsed: ParsedTorrentLike): Uint8Array
}

declare module 'bittorrent-tracker' {
  import type { EventEmitter } from 'node:events'
  import type { Server as HttpServer } from 'node:http'
  export interface ClientOptions {
    infoHash: string | Uint8Array
    peerId: string | Uint8Array
    announce: string | string[]
    port: number
    [key: string]: unknown
  }
  /** The tracker client (what torrent-discovery, hence webtorrent, uses). */
  export class Client extends EventEmitter {
    constructor(opts: ClientOptions)
    start(opts?: object): void
    stop(opts?: object): void
    update(opts?: object): void
    setInterval(intervalMs: number): void
    destroy(cb?: (err?: Error | null) => void): void
  }
  /** The tracker server (tests run it on 127.0.0.1). */
  export class Server extends EventEmitter {
    constructor(opts?: { udp?: boolean; http?: boolean; ws?: boolean; stats?: boolean })
    http: HttpServer | null
    listen(port: number, hostname?: string, cb?: () => void): void
    close(cb?: () => void): void
  }
  export default Client
}

declare module 'fs-chunk-store' {
  export default class FSChunkStore {
    constructor(
      chunkLength: number,
      opts?: {
        path?: string
        files?: Array<{ path: string; length: number; offset?: number }>
        length?: number
        name?: string
        addUID?: boolean
      },
    )
    files: Array<{ path: string; length: number; offset: number }>
    put(index: number, buf: Uint8Array, cb?: (err?: Error | null) => void): void
    get(index: number, cb: (err: Error | null, buf?: Uint8Array) => void): void
    close(cb?: (err?: Error | null) => void): void
    destroy(cb?: (err?: Error | null) => void): void
  }
}
