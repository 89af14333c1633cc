import { describe, expect, it } from 'vitest'
import type { OpenRequest } from '@shared/desktop-api'
import { desktopEventChannel } from '@shared/channels'
import type { OpenTarget } from './open-requests'
import { OpenRequestsController } from './open-requests-controller'

const hash = (c: string): string => c.repeat(40)
const magnet = (c: string): string => `magnet:?xt=urn:btih:${hash(c)}`

function setup() {
  const warnings: string[] = []
  const requests = new OpenRequestsController({
    isFile: (p) => p.endsWith('.torrent'),
    read: async (target: OpenTarget) =>
      target.kind === 'magnet'
        ? { request: { kind: 'magnet', uri: target.uri } }
        : { error: `cannot read ${target.path}` },
    warn: (m) => void warnings.push(m),
  })
  return { requests, warnings }
}

function renderer() {
  const sent: Array<[string, unknown]> = []
  return {
    sent,
    destroyed: false,
    isDestroyed() {
      return this.destroyed
    },
    send: (channel: string, payload: unknown) => void sent.push([channel, payload]),
  }
}

describe('OpenRequestsController', () => {
  it('queues requests until the renderer listens, then replays them in order', async () => {
    const { requests } = setup()
    await requests.accept(['seedling', '--flag', magnet('a'), magnet('b')], '/')
    const file: OpenRequest = {
      kind: 'file',
      name: 'x.torrent',
      source: { kind: 'file', data: '' },
    }
    requests.push(file)
    expect(requests.queued).toBe(3)
    const page = renderer()
    requests.attach(page)
    const channel = desktopEventChannel('open-request')
    expect(page.sent).toEqual([
      [channel, { kind: 'magnet', uri: magnet('a') }],
      [channel, { kind: 'magnet', uri: magnet('b') }],
      [channel, file],
    ])
    await requests.accept([magnet('c')], '/')
    expect(page.sent).toHaveLength(4)
  })

  it('queues again after a reload until the new page listens', async () => {
    const { requests } = setup()
    const first = renderer()
    requests.attach(first)
    requests.detach()
    await requests.accept([magnet('d')], '/')
    expect(first.sent).toEqual([])
    const second = renderer()
    requests.attach(second)
    expect(second.sent).toHaveLength(1)
  })

  it('never sends to a destroyed page', async () => {
    const { requests } = setup()
    const page = renderer()
    requests.attach(page)
    page.destroyed = true
    await requests.accept([magnet('e')], '/')
    expect(page.sent).toEqual([])
  })

  it('logs unreadable files and brings the window up only once it exists', async () => {
    const { requests, warnings } = setup()
    let shown = 0
    await requests.accept([magnet('f')], '/')
    requests.started(() => shown++)
    await requests.accept(['/t/broken.torrent'], '/')
    await requests.accept(['--nothing-to-open'], '/')
    expect(warnings).toEqual(['[open] cannot read /t/broken.torrent'])
    expect(shown).toBe(1)
  })
})
