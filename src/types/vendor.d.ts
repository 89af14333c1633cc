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
  // The one declaration of webtorrent's shapes: what Seedling's backend
  // (src/main/engine/backend/) and the stack tests use, including fields Seedling's patches add.
  import type { EventEmitter } from 'node:events'
  import type { AddressInfo } from 'node:net'

  /** A parsed torrent in parse-torrent's shape (what `client.add` accepts besides ids and buffers). */
  export interface ParsedTorrentLike {
    info: object
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
    /** Resume: per file, the mtime (ms) recorded with `bitfield`. */
    fileModtimes?: Array<number | null | undefined>
    /** Seedling patch: per file, the on-disk size recorded with `bitfield`. */
    fileSizes?: Array<number | null | undefined>
    /** Seedling patch: peers (ip:port and peer ids) never to connect to. */
    bannedPeers?: string[]
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
    select(priority?: number): void
    deselect(): void
  }

  /** A peer connection (bittorrent-protocol's Wire). */
  export interface Wire extends EventEmitter {
    destroyed: boolean
    remoteAddress?: string
    remotePort?: number
    type: string
    peerId?: string
    amChoking: boolean
    amInterested: boolean
    peerChoking: boolean
    peerInterested: boolean
    downloaded: number
    uploaded: number
    downloadSpeed(): number
    uploadSpeed(): number
    peerPieces: { get(index: number): boolean }
    /** 2 when the payload is RC4-encrypted; 1 when an MSE handshake settled on plaintext data. */
    _encryptionMethod?: number | null
    /** Set by webtorrent once the peer is known to have every piece. */
    isSeeder?: boolean
    /** Ours, sent after the 'wire' event (BEP 10); Seedling adds `p`, its listen port. */
    extendedHandshake: Record<string, unknown>
    /** The peer's extended handshake, its known fields type-checked by Seedling's patch. */
    peerExtendedHandshake?: { p?: number; e?: unknown; [key: string]: unknown }
    /** Extension name to the id the peer gave it. */
    peerExtendedMapping?: Record<string, number>
    /** An extended message by the peer's name for the extension; an object is bencoded. */
    extended(ext: string | number, obj: object | Uint8Array): void
    destroy(): void
  }

  /** torrent-discovery's tracker client (bittorrent-tracker). */
  export interface TrackerClient extends EventEmitter {
    /** One per announce URL (private); `intervalMs`, the interval in force, is Seedling's patch. */
    _trackers?: Array<{ announceUrl: string; intervalMs?: number }>
  }

  export interface Torrent extends EventEmitter {
    infoHash: string
    magnetURI: string
    name: string
    path: string
    /** BEP 27; undefined until a magnet's metadata is known. */
    private?: boolean
    ready: boolean
    done: boolean
    destroyed: boolean
    progress: number
    length: number
    pieceLength: number
    files: TorrentFile[]
    pieces: Array<unknown | null>
    /** Per piece, the blocks requested from peers (private). */
    _reservations?: Array<unknown[] | null>
    metadata: Uint8Array | null
    torrentFile: Uint8Array
    infoBuffer?: Uint8Array
    numPeers: number
    downloaded: number
    uploaded: number
    downloadSpeed: number
    uploadSpeed: number
    wires: Wire[]
    /** Set once the metadata is known (webtorrent leaves it undefined before). */
    bitfield: { buffer: Uint8Array; get(index: number): boolean }
    discovery?: { tracker?: TrackerClient }
    addPeer(peer: string): boolean
    select(start: number, end: number, priority?: number): void
    deselect(start: number, end: number): void
    /** Seedling's patch adds the sizes (third argument) so a resized file is never trusted. */
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
    static WEBRTC_SUPPORT?: boolean
    torrents: Torrent[]
    listening: boolean
    destroyed: boolean
    downloadSpeed: number
    uploadSpeed: number
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
    /** Async in webtorrent 3: it rejects when the torrent is no longer in the client. */
    remove(
      torrent: Torrent,
      opts: { destroyStore: boolean },
      cb: (err?: Error | null) => void,
    ): Promise<void>
    throttleDownload(rate: number): void
    throttleUpload(rate: number): void
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
