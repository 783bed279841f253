import type { CoalescingQueue } from './coalescing-queue';
import type { NoticeBatch } from './notice-batch';

/**
 * Turns a subscriber's notice queue into the GraphQL event stream. Not an async generator on
 * purpose: a generator parked in `await queue.next()` would ignore `return()` until the next
 * notice, so an unsubscribed client would hold its queue; here `return()` closes it at once.
 * `load` maps a batch to zero or more events (it reads the database, so it runs when the
 * transport asks for the next event — a slow client never makes us read ahead).
 */
export function eventStream<R>(
  queue: CoalescingQueue<NoticeBatch>,
  load: (batch: NoticeBatch) => Promise<R[]>,
  onPush: (batch: NoticeBatch) => void,
): AsyncIterableIterator<R> {
  const ready: R[] = [];
  const it: AsyncIterableIterator<R> = {
    async next(): Promise<IteratorResult<R>> {
      while (ready.length === 0) {
        const r = await queue.next();
        if (r.done) return { value: undefined, done: true };
        const events = await load(r.value);
        if (events.length > 0) {
          onPush(r.value);
          ready.push(...events);
        }
      }
      return { value: ready.shift() as R, done: false };
    },
    async return(): Promise<IteratorResult<R>> {
      queue.close();
      ready.length = 0;
      return { value: undefined, done: true };
    },
    async throw(err?: unknown): Promise<IteratorResult<R>> {
      queue.close();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
