/**
 * A bounded queue between one producer (update notices) and one slow or fast consumer (a
 * subscriber's transport). When it is full the newest item is merged into the last pending one
 * instead of growing the queue (drop-to-latest), so a burst of commits costs a slow client one
 * merged event, never unbounded memory.
 */
export class CoalescingQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiter: ((r: IteratorResult<T>) => void) | undefined;
  private closed = false;

  constructor(
    private readonly capacity: number,
    private readonly merge: (older: T, newer: T) => T,
    private readonly onCoalesce: () => void = () => undefined,
    private readonly onClose: () => void = () => undefined,
  ) {
    if (capacity < 1) throw new RangeError('capacity must be at least 1');
  }

  /** Pending items not yet taken by the consumer. */
  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.closed) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: item, done: false });
      return;
    }
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.items.length - 1] = this.merge(this.items[this.items.length - 1], item);
    this.onCoalesce();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err?: unknown): Promise<IteratorResult<T>> {
    this.close();
    return Promise.reject(err);
  }

  /** Ends the stream: the consumer's pending `next()` resolves done; later pushes are ignored. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.items.length = 0;
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ value: undefined, done: true });
    this.onClose();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
