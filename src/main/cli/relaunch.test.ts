import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ENGINE_V8_FLAGS } from '../engine-host/v8-flags'
import { relaunchCommand } from './relaunch'

const tsxChild = {
  execPath: '/usr/bin/node',
  execArgv: ['--require', '/r/preflight.cjs', '--import', 'file:///r/loader.mjs'],
  argv: ['/usr/bin/node', '/repo/src/main/cli/index.ts', 'download', 'x.torrent', '--dir', 'd'],
  env: { HOME: '/home/u' },
}

describe('relaunch with the engine V8 flags', () => {
  it('keeps node, its options (a loader), the script and the arguments, and adds the flags', () => {
    const cmd = relaunchCommand(tsxChild)
    expect(cmd?.args).toEqual([
      '/usr/bin/node',
      ...tsxChild.execArgv,
      ...ENGINE_V8_FLAGS,
      '/repo/src/main/cli/index.ts',
      'download',
      'x.torrent',
      '--dir',
      'd',
    ])
    expect(cmd?.env.HOME).toBe('/home/u')
  })

  it('never relaunches a relaunched process', () => {
    const cmd = relaunchCommand(tsxChild)!
    const [execPath, ...rest] = cmd.args
    const relaunched = {
      execPath: execPath!,
      execArgv: rest.slice(0, tsxChild.execArgv.length + ENGINE_V8_FLAGS.length),
      argv: [execPath!, ...rest.slice(tsxChild.execArgv.length + ENGINE_V8_FLAGS.length)],
      env: cmd.env,
    }
    expect(relaunchCommand(relaunched)).toBeNull()
    // The mark alone stops it too, whatever the options look like.
    expect(relaunchCommand({ ...tsxChild, env: cmd.env })).toBeNull()
  })

  it('leaves values chosen by whoever started node alone, and adds only the others', () => {
    const name = (flag: string): string => flag.split('=')[0]!.replaceAll('_', '-')
    const [first, ...others] = ENGINE_V8_FLAGS
    const own = `${name(first!).replaceAll('-', '_')}=99`
    const cmd = relaunchCommand({ ...tsxChild, execArgv: [own] })
    if (others.length === 0) expect(cmd).toBeNull()
    else expect(cmd?.args.slice(0, 2 + others.length)).toEqual(['/usr/bin/node', own, ...others])

    const allGiven = ENGINE_V8_FLAGS.map((f) => `${name(f)}=1`).join(' ')
    expect(relaunchCommand({ ...tsxChild, env: { NODE_OPTIONS: `${allGiven} --x` } })).toBeNull()
    expect(
      relaunchCommand({ ...tsxChild, env: { NODE_OPTIONS: '--max-old-space-size=512' } }),
    ).not.toBeNull()
  })

  it('every flag is one node accepts at start-up', () => {
    const r = spawnSync(process.execPath, [...ENGINE_V8_FLAGS, '-e', '0'], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })
})
