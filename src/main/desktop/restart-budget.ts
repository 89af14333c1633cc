/**
 * When the engine host may be restarted after it dies. Pure: the caller passes the clock.
 *
 * Why a budget that resets after a stable run, rather than a count per time window: a window only limits
 * how fast restarts come, so a host that dies every 70 s (or takes a minute to start and then dies) was
 * restarted forever, reopening the session each time. And a budget that never resets would make a
 * crash every few hours, over days, end in "restart Seedling". Counting the failures since the host last
 * ran stably for `stableMs` handles both: a crash loop of any speed is given up after `maxRestarts`,
 * sparse crashes are each forgiven. With `stableMs` of a minute this also keeps the old guarantee of at
 * most `maxRestarts` restarts a minute, since a run that ends within a minute is never stable.
 */

export interface RestartPolicy {
  /** Restarts in a row (without a stable run between them) before the host is given up. */
  maxRestarts: number
  /** How long a host must have run, after it was up, for the failures before it to be forgotten. */
  stableMs: number
}

export interface RestartBudget {
  /** Failures since the host last ran stably: what the status line shows as restarts. */
  failures: number
  /** When the current host came up (finished starting), or null while it is starting or dead. */
  upSince: number | null
}

export type RestartDecision =
  | { action: 'restart'; attempt: number; budget: RestartBudget }
  | { action: 'give-up'; budget: RestartBudget }

export const freshBudget: RestartBudget = { failures: 0, upSince: null }

/** The host finished starting (it answered its init) at `now`. */
export function hostUp(budget: RestartBudget, now: number): RestartBudget {
  return { ...budget, upSince: now }
}

/** The host died at `now`: restart it (attempt n of the current run of failures) or give up. */
export function hostDied(
  budget: RestartBudget,
  now: number,
  policy: RestartPolicy,
): RestartDecision {
  const stable = budget.upSince !== null && now - budget.upSince >= policy.stableMs
  const failures = stable ? 0 : budget.failures
  if (failures >= policy.maxRestarts)
    return { action: 'give-up', budget: { failures, upSince: null } }
  const next = { failures: failures + 1, upSince: null }
  return { action: 'restart', attempt: next.failures, budget: next }
}
