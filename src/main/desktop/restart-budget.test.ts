import { describe, expect, it } from 'vitest'
import type { HostChannel, HostStatus } from '../engine-host/host-client'
import { EngineHostClient } from '../engine-host/host-client'
import { hostMethods } from '../engine-host/protocol'
import type { RestartBudget } from './restart-budget'
import { freshBudget, hostDied, hostUp } from './restart-budget'

const policy = { maxRestarts: 5, stableMs: 60_000 }

/** Runs the host up at each time in `ups` and dead `runFor` ms later; returns the decisions' actions. */
function crashLoop(ups: number[], runFor: number): string[] {
  let budget: RestartBudget = freshBudget
  const actions: string[] = []
  for (const t of ups) {
    budget = hostUp(budget, t)
    const decision = hostDied(budget, t + runFor, policy)
    actions.push(decision.action)
    budget = decision.budget
  }
  return actions
}

describe('restart budget', () => {
  it('gives up after maxRestarts failures in a row, numbering the attempts', () => {
    let budget: RestartBudget = freshBudget
    const attempts: number[] = []
    for (let i = 0; i < 5; i++) {
      const d = hostDied(hostUp(budget, i * 1000), i * 1000 + 500, policy)
      if (d.action !== 'restart') throw new Error(`gave up at ${i}`)
      attempts.push(d.attempt)
      budget = d.budget
    }
    expect(attempts).toEqual([1, 2, 3, 4, 5])
    expect(hostDied(hostUp(budget, 9000), 9500, policy)).toEqual({
      action: 'give-up',
      budget: { failures: 5, upSince: null },
    })
  })

  it('a slow crash loop is given up too: runs shorter than stableMs never reset the count', () => {
    const ups = Array.from({ length: 6 }, (_, i) => i * 90_000)
    expect(crashLoop(ups, 59_999)).toEqual([...Array(5).fill('restart'), 'give-up'])
  })

  it('a host that never comes up (dies while starting) is given up', () => {
    let budget: RestartBudget = freshBudget
    const actions: string[] = []
    for (let i = 0; i < 6; i++) {
      const d = hostDied(budget, i * 3_600_000, policy)
      actions.push(d.action)
      budget = d.budget
    }
    expect(actions.at(-1)).toBe('give-up')
  })

  it('sparse crashes after stable runs never exhaust the budget', () => {
    const ups = Array.from({ length: 100 }, (_, i) => i * 3_600_000)
    expect(crashLoop(ups, 60_000)).toEqual(Array(100).fill('restart'))
  })

  it('a stable run forgives the failures before it, then counting starts again', () => {
    let budget: RestartBudget = { failures: 4, upSince: null }
    let d = hostDied(hostUp(budget, 0), 120_000, policy)
    expect(d).toEqual({ action: 'restart', attempt: 1, budget: { failures: 1, upSince: null } })
    budget = d.budget
    d = hostDied(hostUp(budget, 200_000), 200_001, policy)
    expect(d.action === 'restart' && d.attempt).toBe(2)
  })
})

/** A host that answers every request at once (init included) and dies whenever the test says. */
function fakeHosts(): { spawn: () => HostChannel; killCurrent(): void; spawned(): number } {
  let count = 0
  let current: { die(): void } | null = null
  const spawn = (): HostChannel => {
    count++
    const listeners: Array<(m: unknown) => void> = []
    const exits: Array<(r: string) => void> = []
    let dead = false
    const die = (): void => {
      if (dead) return
      dead = true
      for (const l of exits) l('exit code 134')
    }
    current = { die }
    return {
      postMessage: (msg) => {
        if (dead) throw new Error('channel closed')
        queueMicrotask(() => {
          listeners.forEach((l) => l({ id: msg.id, ok: true, value: null }))
          if (msg.method === hostMethods.close) die()
        })
      },
      onMessage: (l) => void listeners.push(l),
      onExit: (l) => (dead ? l('exit code 134') : void exits.push(l)),
      kill: die,
    }
  }
  return { spawn, killCurrent: () => current?.die(), spawned: () => count }
}

describe('engine host supervisor uses the budget', () => {
  const options = { stateDir: '/nonexistent', defaultDownloadDir: '/nonexistent' }

  it('gives up a host that keeps dying 30 s after each start', async () => {
    let now = 0
    const hosts = fakeHosts()
    const client = await EngineHostClient.start({
      spawn: hosts.spawn,
      options,
      backoffMs: () => 0,
      now: () => now,
    })
    const outcomes: string[] = []
    for (let i = 0; i < 6; i++) {
      const outcome = new Promise<HostStatus>((r) => {
        client.once('host:restarted', r)
        client.once('host:failed', r)
      })
      now += 30_000
      hosts.killCurrent()
      outcomes.push((await outcome).state)
    }
    expect(outcomes).toEqual([...Array(5).fill('running'), 'failed'])
    expect(client.status).toMatchObject({ state: 'failed', restarts: 5 })
    expect(hosts.spawned()).toBe(6)
    await client.close()
  })

  it('keeps restarting a host that dies once an hour', async () => {
    let now = 0
    const hosts = fakeHosts()
    const client = await EngineHostClient.start({
      spawn: hosts.spawn,
      options,
      backoffMs: () => 0,
      now: () => now,
    })
    for (let i = 0; i < 20; i++) {
      const back = new Promise<HostStatus>((r) => client.once('host:restarted', r))
      now += 3_600_000
      hosts.killCurrent()
      expect(await back).toMatchObject({ state: 'running', restarts: 1 })
    }
    await client.close()
  })
})
