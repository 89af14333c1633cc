import { EventEmitter } from 'node:events'

/** An EventEmitter whose event names and payloads come from one event map, so emit and listen agree. */
export class TypedEmitter<Events extends object> {
  private readonly emitter = new EventEmitter()

  constructor() {
    // Every client (window, WebSocket, CLI) subscribes; the default cap of 10 is not a leak signal here.
    this.emitter.setMaxListeners(0)
  }

  on<K extends keyof Events & string>(
    event: K,
    listener: (payload: Events[K]) => void,
  ): () => void {
    this.emitter.on(event, listener)
    return () => this.emitter.off(event, listener)
  }

  once<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): void {
    this.emitter.once(event, listener)
  }

  protected emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.emitter.emit(event, payload)
  }
}

/** An emit function handed to the engine's parts, so only the engine object itself is an emitter. */
export type Emit<Events extends object> = <K extends keyof Events & string>(
  event: K,
  payload: Events[K],
) => void
