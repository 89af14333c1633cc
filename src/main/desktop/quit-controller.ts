/**
 * Quitting, in order: the engine host first (closing it saves the session), then the desktop settings,
 * then the tray; only then does the app exit. Every way out (menu, tray, OS, Windows logoff) runs the same
 * shutdown, once.
 */
export interface Closable {
  close(): Promise<void>
}

export interface QuitDeps {
  settings: { flush(): Promise<void> }
  /** Asks the app to quit (app.quit); called again once the shutdown is done. */
  quit(): void
  warn(message: string): void
}

export class QuitController {
  private engine: Closable | null = null
  private tray: { destroy(): void } | null = null
  private quitting = false
  private done = false
  private shutdown: Promise<void> | null = null

  constructor(private readonly deps: QuitDeps) {}

  /** True from the first request to quit: a closing window then really closes. */
  get isQuitting(): boolean {
    return this.quitting
  }

  /** What the shutdown stops, once they exist. */
  manage(parts: { engine: Closable; tray: { destroy(): void } | null }): void {
    this.engine = parts.engine
    this.tray = parts.tray
  }

  stop(): Promise<void> {
    this.quitting = true
    this.shutdown ??= this.run()
    return this.shutdown
  }

  private async run(): Promise<void> {
    try {
      await this.engine?.close()
      await this.deps.settings.flush()
    } catch (err) {
      this.deps.warn(`[quit] ${(err as Error).message}`)
    } finally {
      this.engine = null
      this.tray?.destroy()
      this.tray = null
      this.done = true
    }
  }

  /** The app's `before-quit`: held back until the shutdown is done, then let through. */
  beforeQuit(event: { preventDefault(): void }): void {
    this.quitting = true
    if (this.done) return
    event.preventDefault()
    void this.stop().then(() => this.deps.quit())
  }

  /** Another instance owns the session (it gets our argv): nothing to save, so quitting is immediate. */
  skipShutdown(): void {
    this.done = true
  }
}
