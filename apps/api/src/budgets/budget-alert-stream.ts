import { BUDGET_PERIODS, BUDGET_SCOPES, type BudgetAlert } from '@ccpulse/domain';
import type { Subscription } from '@nats-io/transport-node';

/** Parses an alert announced by the aggregator; undefined for anything malformed. */
export function parseBudgetAlert(data: Uint8Array): BudgetAlert | undefined {
  try {
    const a = JSON.parse(new TextDecoder().decode(data)) as BudgetAlert;
    const ok =
      typeof a?.id === 'number' &&
      typeof a.budgetId === 'number' &&
      BUDGET_SCOPES.includes(a.scope) &&
      BUDGET_PERIODS.includes(a.period) &&
      typeof a.subject === 'string' &&
      typeof a.threshold === 'number' &&
      typeof a.spendUsd === 'number' &&
      typeof a.limitUsd === 'number' &&
      typeof a.periodStart === 'string' &&
      typeof a.createdAt === 'string';
    return ok ? a : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A GraphQL event stream over one core-NATS subscription. Not an async generator: one parked in
 * `await` would ignore `return()` until the next alert; here `return()` unsubscribes at once,
 * which also ends a pending `next()`.
 */
export function alertStream<R>(sub: Subscription, map: (a: BudgetAlert) => R | undefined): AsyncIterableIterator<R> {
  const source = sub[Symbol.asyncIterator]();
  const it: AsyncIterableIterator<R> = {
    async next(): Promise<IteratorResult<R>> {
      for (;;) {
        const r = await source.next();
        if (r.done) return { value: undefined, done: true };
        const alert = parseBudgetAlert(r.value.data);
        const out = alert && map(alert);
        if (out !== undefined) return { value: out, done: false };
      }
    },
    async return(): Promise<IteratorResult<R>> {
      sub.unsubscribe();
      return { value: undefined, done: true };
    },
    async throw(err?: unknown): Promise<IteratorResult<R>> {
      sub.unsubscribe();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
