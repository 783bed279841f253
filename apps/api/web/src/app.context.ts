import type { GraphqlClient } from './api/graphql.client';
import type { Me, UsageTick } from './api/queries';
import type { LiveIndicator } from './ui/live';
import { tickThrottle } from './core/tick-throttle';

/** What every view receives: the API, the caller, the live plumbing and the clock. */
export interface AppContext {
  client: GraphqlClient;
  me: Me;
  live: LiveIndicator;
  timeZone: string;
  /** Subscribes to the shared usage tick stream (one SSE connection for all views). */
  onTick(listener: (tick: UsageTick) => void): () => void;
  /** Opens a subscription whose state feeds the live indicator; returns the close function. */
  subscribe<T>(query: string, variables: Record<string, unknown>, next: (data: T) => void): () => void;
  /** Reports a failed query in the page's error banner. */
  fail(err: unknown): void;
  now(): number;
}

/** The query's data, or undefined once its failure is in the page's error banner. */
export async function queryOrFail<T>(ctx: AppContext, query: string, variables?: Record<string, unknown>): Promise<T | undefined> {
  try {
    return await ctx.client.query<T>(query, variables);
  } catch (err) {
    ctx.fail(err);
    return undefined;
  }
}

/**
 * Runs `load` now, then at most once per `ms` while usage ticks arrive (whole-team aggregates
 * are not worth re-reading on every commit); returns the stop.
 */
export function loadOnTicks(ctx: AppContext, load: () => void, ms: number): () => void {
  load();
  const throttle = tickThrottle(load, ms);
  const off = ctx.onTick(() => throttle.call());
  return () => {
    off();
    throttle.cancel();
  };
}

/** A page: renders into `root` and returns its cleanup (close subscriptions, destroy charts). */
export type View = (ctx: AppContext, root: HTMLElement) => () => void;

/** localStorage that never throws (private mode, disabled storage). */
export const store = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | null): void {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // Storage refused: the setting lasts for this page only.
    }
  },
};
