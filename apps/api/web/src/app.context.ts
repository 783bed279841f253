import type { GraphqlClient } from './api/graphql.client';
import type { Me, UsageTick } from './api/queries';
import type { LiveIndicator } from './ui/live';

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
