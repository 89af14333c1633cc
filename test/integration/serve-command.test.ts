/**
 * `seedling serve` (runServe) end to end in-process: it prints the tokened URL, serves the renderer and the
 * API, and stops cleanly on the stop signal. Loopback only.
 */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runServe } from '../../src/main/cli/serve'
import type { CliIo } from '../../src/main/cli/transfer'
import { tempDir } from './helpers/engines'
import { fakeRenderer, openWs, request, WsPeer } from './helpers/remote'

const cleanup: string[] = []
afterAll(async () => {
  for (const dir of cleanup) await rm(dir, { recursive: true, force: true })
})

function captureIo(): { io: CliIo; out: string[]; err: string[]; stop: () => void } {
  const out: string[] = []
  const err: string[] = []
  let stop: () => void = () => {}
  const stopSignal = new Promise<string>((resolve) => (stop = () => resolve('SIGTERM')))
  return {
    io: {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      write: () => {},
      isTTY: false,
      stopSignal,
    },
    out,
    err,
    stop,
  }
}

async function waitForLine(lines: string[], pattern: RegExp): Promise<RegExpMatchArray> {
  const deadline = Date.now() + 20_000
  for (;;) {
    for (const line of lines) {
      const m = pattern.exec(line)
      if (m) return m
    }
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern}: ${lines.join('\n')}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe('runServe', () => {
  it('prints a tokened URL (and a generated token), serves, and stops cleanly', async () => {
    const dir = await tempDir('serve')
    const fake = await fakeRenderer()
    cleanup.push(dir, fake.root)
    const { io, out, err, stop } = captureIo()
    const run = runServe(
      {
        host: '127.0.0.1',
        port: 0,
        stateDir: path.join(dir, 'state'),
        dir: path.join(dir, 'downloads'),
        dht: false,
        lsd: false,
        upnp: false,
        pex: false,
        rendererDir: fake.rendererDir,
      },
      io,
      {},
    )
    const [, port, token] = await waitForLine(
      out,
      /^Seedling is serving on http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{32})$/,
    )
    expect(out).toContain(`token: ${token}`)
    expect(err.join('\n')).not.toMatch(/reachable from the network/)
    const login = await request(Number(port), `/?token=${token}`)
    expect(login.status).toBe(303)
    const opened = await openWs(`ws://127.0.0.1:${port}/api`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(opened.ok).toBe(true)
    if (!opened.ok) return
    const peer = new WsPeer(opened.ws)
    expect(await peer.call('getSettings')).toMatchObject({
      ok: true,
      value: { downloadDir: path.join(dir, 'downloads'), dht: false, lsd: false, pex: false },
    })
    stop()
    expect(await run).toBe(0)
    expect((await peer.waitClosed()).code).toBe(1001)
    await expect(request(Number(port), '/')).rejects.toThrow()
  })
})
