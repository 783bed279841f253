/**
 * When a crashed child comes back, and when we stop trying. Pure: the supervisor passes in the
 * crash times it remembers and the clock reading, and acts on the returned decision.
 */

/** Bounded exponential backoff; a child that keeps crashing inside `windowMs` is given up on. */
export interface RestartPolicy {
  /** Delay before the first restart. */
  initialDelayMs: number;
  /** Ceiling for the doubled delays. */
  maxDelayMs: number;
  /** Growth per consecutive crash. */
  factor: number;
  /** More crashes than this inside `windowMs` stops the whole group. */
  maxRestarts: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 15_000,
  factor: 2,
  maxRestarts: 5,
  windowMs: 60_000,
};

/**
 * Exit codes that mean "your configuration is wrong": restarting cannot help, so the group stops
 * and the child's own message (naming the setting) is the last thing on screen. 2 is what our
 * commands return for usage/config errors, 78 is EX_CONFIG from sysexits.h.
 */
export const PERMANENT_EXIT_CODES: readonly number[] = [2, 78];

/**
 * An aggregator exits with this code when a newer processor version went live: it is outdated,
 * not broken (apps/aggregator/src/main.ts). Not a crash, and never a reason to stop the group.
 */
export const OUTDATED_EXIT_CODE = 3;

/** What the supervisor does after an unexpected exit. */
export type RestartDecision =
  | { action: 'restart'; delayMs: number; attempt: number; reason?: string }
  | { action: 'give-up'; reason: string }
  | { action: 'retire'; reason: string };

/**
 * After an outdated exit: the installed code may be the newer version (the package was upgraded
 * under a running `start`), so start it once; if that one is outdated too, the newer version
 * runs elsewhere and this child ends quietly while the rest of the group keeps running.
 * `inARow` counts this child's consecutive outdated exits, this one included.
 */
export function decideAfterOutdated(name: string, inARow: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): RestartDecision {
  if (inARow <= 1) {
    return { action: 'restart', delayMs: policy.initialDelayMs, attempt: 1, reason: `a newer processor version went live; starting the installed ${name} in case it is that version` };
  }
  return { action: 'retire', reason: `the installed ${name} is outdated too (a newer processor version runs elsewhere); leaving it stopped, the others keep running` };
}

/** How a child ended: a code, or the signal that killed it. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Delay before restart number `attempt` (1-based), doubling up to the ceiling. */
export function restartDelay(attempt: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): number {
  const n = Math.max(1, Math.floor(attempt));
  const delay = policy.initialDelayMs * policy.factor ** (n - 1);
  return Math.min(policy.maxDelayMs, Math.round(delay));
}

/** Only the crashes still inside the sliding window count against the child. */
export function recentCrashes(crashTimes: readonly number[], now: number, policy: RestartPolicy): number[] {
  return crashTimes.filter((t) => now - t < policy.windowMs);
}

/**
 * Decide what to do about a child that just exited while the group was running.
 * `crashTimes` already includes this exit (at `now`).
 */
export function decideRestart(
  name: string,
  exit: ChildExit,
  crashTimes: readonly number[],
  now: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): RestartDecision {
  if (exit.code !== null && PERMANENT_EXIT_CODES.includes(exit.code)) {
    return { action: 'give-up', reason: `${name} exited with code ${exit.code} (configuration error); not restarting` };
  }
  const recent = recentCrashes(crashTimes, now, policy);
  if (recent.length > policy.maxRestarts) {
    const seconds = Math.round(policy.windowMs / 1000);
    return {
      action: 'give-up',
      reason: `${name} crashed ${recent.length} times within ${seconds}s (limit ${policy.maxRestarts}); giving up`,
    };
  }
  const attempt = Math.max(1, recent.length);
  return { action: 'restart', delayMs: restartDelay(attempt, policy), attempt };
}

/** Human wording of an exit, for the supervisor's own log lines. */
export function describeExit(exit: ChildExit): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}
