/**
 * Entry point of the engine host process: an Electron utility process (`process.parentPort`) in the app,
 * or a Node child (`child_process.fork`, Node IPC) in tests and the CLI. It only picks the message port;
 * everything else is in host-server.ts.
 */
import { TorrentEngine } from '../engine/engine'
import type { HostPort } from './host-server'
import { installLastResortHandlers, runHostServer } from './host-server'

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void
  postMessage(msg: unknown): void
}

function pickPort(): HostPort {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort
  if (parentPort) {
    return {
      postMessage: (msg) => parentPort.postMessage(msg),
      onMessage: (listener) => parentPort.on('message', (e) => listener(e.data)),
    }
  }
  const send = process.send?.bind(process)
  if (!send) throw new Error('the engine host must be started by a parent process')
  return {
    postMessage: (msg) => void send(msg),
    onMessage: (listener) => process.on('message', listener),
    onDisconnect: (listener) => process.on('disconnect', listener),
  }
}

const port = pickPort()
installLastResortHandlers(process, (line) => {
  try {
    port.postMessage({ log: line })
  } catch {
    console.error(line)
  }
})
runHostServer(port, {
  openEngine: (opts) => TorrentEngine.open(opts),
  exit: (code) => process.exit(code),
})
