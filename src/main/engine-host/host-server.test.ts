// The engine host's last-resort handlers, in a real Node process: an exception thrown from a timer
// and a rejected promise nobody awaits are logged and the process keeps running (without the
// handlers Node ends the process at the first one).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const hostServer = path.resolve('src/main/engine-host/host-server.ts')

const script = `
import { installLastResortHandlers } from ${JSON.stringify(hostServer)}
installLastResortHandlers(process, (line) => console.log('LOG ' + line.split('\\n')[0]))
setTimeout(() => { throw new Error('boom from a timer') }, 5)
setTimeout(() => { void Promise.reject(new Error('nobody awaits me')) }, 10)
setTimeout(() => console.log('STILL RUNNING'), 50)
`

describe('installLastResortHandlers', () => {
  it('logs an uncaught exception and an unhandled rejection and keeps the process alive', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    )
    expect(run.stdout).toContain(
      'LOG engine host: uncaught exception (kept running): Error: boom from a timer',
    )
    expect(run.stdout).toContain(
      'LOG engine host: unhandled rejection (kept running): Error: nobody awaits me',
    )
    expect(run.stdout).toContain('STILL RUNNING')
    expect(run.status).toBe(0)
  })
})
