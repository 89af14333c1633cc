import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchTorrentUrl, isPublicAddress } from './url-fetch'

// A loopback server; run inside a network namespace with loopback only, as the other networked tests.
let server: http.Server
let base: string
const BODY = Buffer.from('d4:infod4:name1:aee')

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/a.torrent') res.end(BODY)
    else if (req.url === '/big') res.end(Buffer.alloc(2_000))
    else if (req.url === '/big-unsized') {
      res.write(Buffer.alloc(800))
      res.end(Buffer.alloc(800))
    } else if (req.url === '/hop') res.writeHead(302, { location: '/a.torrent' }).end()
    else if (req.url === '/to-ftp') res.writeHead(302, { location: 'ftp://x/a.torrent' }).end()
    else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end()
    else if (req.url === '/slow') setTimeout(() => res.end(BODY), 5_000).unref()
    else res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

const open = { publicOnly: false }

describe('fetchTorrentUrl', () => {
  it('fetches the bytes and names the file after the URL, following a redirect', async () => {
    const got = await fetchTorrentUrl(`${base}/hop`, open)
    expect(Buffer.from(got.data)).toEqual(BODY)
    expect(got.fileName).toBe('a.torrent')
  })

  it('refuses other schemes, also after a redirect, and endless redirects', async () => {
    await expect(fetchTorrentUrl('file:///etc/passwd', open)).rejects.toThrow(/only http and https/)
    await expect(fetchTorrentUrl(`${base}/to-ftp`, open)).rejects.toThrow(/only http and https/)
    await expect(fetchTorrentUrl(`${base}/loop`, open)).rejects.toThrow(/more than 3 redirects/)
  })

  it('refuses a file over the cap, by its header or while reading', async () => {
    await expect(fetchTorrentUrl(`${base}/big`, { ...open, maxBytes: 1_000 })).rejects.toThrow(
      /over/,
    )
    await expect(
      fetchTorrentUrl(`${base}/big-unsized`, { ...open, maxBytes: 1_000 }),
    ).rejects.toThrow(/over/)
  })

  it('gives up at the deadline and reports an error status', async () => {
    await expect(fetchTorrentUrl(`${base}/slow`, { ...open, timeoutMs: 300 })).rejects.toThrow(
      /within 0.3 s/,
    )
    await expect(fetchTorrentUrl(`${base}/missing`, open)).rejects.toThrow(/answered 404/)
  })

  it('public only: refuses loopback by address and by a name that resolves to it', async () => {
    const port = new URL(base).port
    await expect(fetchTorrentUrl(`${base}/a.torrent`, { publicOnly: true })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/127\.0\.0\.1 is not a public address/),
    })
    await expect(
      fetchTorrentUrl(`http://localhost:${port}/a.torrent`, { publicOnly: true }),
    ).rejects.toMatchObject({ code: 'forbidden' })
  })
})

describe('isPublicAddress', () => {
  it('tells public addresses from loopback, private and link-local ones', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
      '100.64.0.1',
    ]) {
      expect(isPublicAddress(a), a).toBe(false)
    }
    for (const a of ['93.184.216.34', '2606:4700::1111', '8.8.8.8']) {
      expect(isPublicAddress(a), a).toBe(true)
    }
  })
})
