/**
 * Routes what the OS asks the app to open (argv, `second-instance`, macOS open-file/open-url, the Open
 * menu) to the renderer: held until the page says it listens, then delivered in order.
 */
import type { OpenRequest } from '@shared/desktop-api'
import { desktopEventChannel } from '@shared/channels'
import type { OpenTarget } from './open-requests'
import type { readOpenTarget } from './open-requests'
import { OpenRequestQueue, parseOpenRequests } from './open-requests'

/** The renderer's web contents, as far as delivering to it goes. */
export interface RendererSink {
  isDestroyed(): boolean
  send(channel: string, payload: unknown): void
}

export interface OpenRequestsDeps {
  isFile(path: string): boolean
  read: typeof readOpenTarget
  warn(message: string): void
}

export class OpenRequestsController {
  private readonly queue = new OpenRequestQueue()
  private reveal: (() => void) | null = null

  constructor(private readonly deps: OpenRequestsDeps) {}

  /** The window exists from now on: accepted requests bring it up. */
  started(showWindow: () => void): void {
    this.reveal = showWindow
  }

  /** Arguments as a launch or a second instance got them; unreadable files are logged and skipped. */
  async accept(argv: readonly string[], cwd: string): Promise<void> {
    const targets = parseOpenRequests(argv, { cwd, isFile: this.deps.isFile })
    await this.acceptTargets(targets)
  }

  private async acceptTargets(targets: OpenTarget[]): Promise<void> {
    for (const target of targets) {
      const result = await this.deps.read(target)
      if ('error' in result) this.deps.warn(`[open] ${result.error}`)
      else this.queue.push(result.request)
    }
    if (targets.length > 0) this.reveal?.()
  }

  push(request: OpenRequest): void {
    this.queue.push(request)
  }

  /** The page listens now: replays what was queued, then delivers as requests come. */
  attach(sender: RendererSink): void {
    this.queue.attach((req) => {
      if (!sender.isDestroyed()) sender.send(desktopEventChannel('open-request'), req)
    })
  }

  /** The page is going away or reloading: queue again until it listens. */
  detach(): void {
    this.queue.detach()
  }

  get queued(): number {
    return this.queue.size
  }
}
