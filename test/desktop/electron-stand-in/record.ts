/**
 * What the app asked of the stand-in, in order, for the test to read back through the control channel.
 * Values are reduced to what survives JSON (functions become '[function]').
 */
export interface Call {
  api: string
  args: unknown[]
}

export const calls: Call[] = []

const plain = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'function' ? '[function]' : v)) ??
      'null',
  )

export function record(api: string, ...args: unknown[]): void {
  calls.push({ api, args: args.map(plain) })
}

/** Electron's preventable events (`event.preventDefault()`), as the listeners get them. */
export interface PreventableEvent {
  defaultPrevented: boolean
  preventDefault(): void
}

export function preventableEvent(): PreventableEvent {
  const event = {
    defaultPrevented: false,
    preventDefault: () => void (event.defaultPrevented = true),
  }
  return event
}

/**
 * What a stand-in class is checked against: the Electron class's own members (EventEmitter's overloads
 * aside, which Node's EventEmitter provides), minus those it holds as other stand-ins.
 */
export type StandIn<T, Own extends keyof T = never> = Partial<
  Omit<T, keyof NodeJS.EventEmitter | Own>
>
