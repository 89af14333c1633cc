// Free loopback ports. A port is free when both TCP and UDP can bind it on 127.0.0.1 (libtorrent
// and opentracker use both). Ports handed out in this process are never handed out twice.
import { createServer } from 'node:net'
import { createSocket } from 'node:dgram'

const handedOut = new Set<number>()

function tcpFree(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.once('error', () => resolve(undefined))
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const addr = srv.address()
      const p = typeof addr === 'object' && addr ? addr.port : undefined
      srv.close(() => resolve(p))
    })
  })
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4')
    sock.once('error', () => {
      sock.close()
      resolve(false)
    })
    sock.bind({ port, address: '127.0.0.1', exclusive: true }, () =>
      sock.close(() => resolve(true)),
    )
  })
}

/** Returns a port that is currently free for TCP and UDP on 127.0.0.1 (bounded retries). */
export async function getFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tcpFree(0)
    if (port === undefined || handedOut.has(port)) continue
    if (!(await udpFree(port))) continue
    handedOut.add(port)
    return port
  }
  throw new Error('could not find a free loopback port in 50 attempts')
}

export async function getFreePorts(n: number): Promise<number[]> {
  const ports: number[] = []
  for (let i = 0; i < n; i++) ports.push(await getFreePort())
  return ports
}
