import type { UpdatedNotice } from '@ccpulse/domain';
import type { ApiMetrics } from '../metrics/api-metrics';
import { CoalescingQueue } from './coalescing-queue';
import { NoticeBatch, batchOf, mergeBatches } from './notice-batch';

/** Which notices a subscriber wants. */
export type NoticeFilter = (n: UpdatedNotice) => boolean;

/**
 * Fans the aggregator's commit notices out to GraphQL subscribers. One NATS subscription feeds
 * every subscriber; each has its own bounded {@link CoalescingQueue}, so one slow client never
 * holds up the others or grows memory.
 */
export class UpdatesHub {
  private readonly subscribers = new Set<{ filter: NoticeFilter; queue: CoalescingQueue<NoticeBatch> }>();

  constructor(
    private readonly metrics: ApiMetrics,
    private readonly queueCapacity: number,
  ) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  private readonly listeners: ((n: UpdatedNotice) => void)[] = [];

  /** Calls `fn` for every notice before subscribers see it (cache invalidation). */
  onNotice(fn: (n: UpdatedNotice) => void): void {
    this.listeners.push(fn);
  }

  /** Delivers a notice to every subscriber whose filter accepts it. */
  dispatch(notice: UpdatedNotice): void {
    for (const fn of this.listeners) fn(notice);
    for (const s of this.subscribers) {
      let wanted = false;
      try {
        wanted = s.filter(notice);
      } catch {
        wanted = false;
      }
      if (wanted) s.queue.push(batchOf(notice));
    }
  }

  /** A stream of (possibly merged) notices for one subscriber; `return()` unsubscribes. */
  subscribe(field: string, filter: NoticeFilter): CoalescingQueue<NoticeBatch> {
    const entry = {
      filter,
      queue: new CoalescingQueue<NoticeBatch>(
        this.queueCapacity,
        mergeBatches,
        () => this.metrics.coalesced.inc({ field }),
        () => {
          this.subscribers.delete(entry);
          this.metrics.activeSubscriptions.dec({ field });
        },
      ),
    };
    this.subscribers.add(entry);
    this.metrics.activeSubscriptions.inc({ field });
    return entry.queue;
  }

  /** Ends every subscription (shutdown). */
  closeAll(): void {
    for (const s of [...this.subscribers]) s.queue.close();
  }
}
