import type { StreamMessage } from './stream-message';

/**
 * What to do with one batch given the stored checkpoint (last stream sequence applied, with
 * nothing missing below it).
 */
export interface SequencePlan {
  /** Sorted by sequence, one per sequence, all above the checkpoint. */
  apply: StreamMessage[];
  /** Redeliveries at or below the checkpoint and repeats within the batch: ack and drop. */
  skip: StreamMessage[];
  /**
   * Sequences between the checkpoint and the batch's highest one that were not delivered
   * (lost in flight during a reconnect, or still waiting for redelivery after a crash). The
   * runner reads them from the stream (or learns they are gone) before committing, so the
   * checkpoint never jumps over a message that was not applied.
   */
  gaps: number[];
}

/** Splits a batch by the checkpoint. Pure; `maxGaps` bounds the work a wild gap can cause. */
export function planSequences(checkpoint: number, batch: readonly StreamMessage[], maxGaps: number): SequencePlan {
  const apply: StreamMessage[] = [];
  const skip: StreamMessage[] = [];
  const seen = new Set<number>();
  for (const m of [...batch].sort((a, b) => a.seq - b.seq)) {
    if (m.seq <= checkpoint || seen.has(m.seq)) skip.push(m);
    else {
      seen.add(m.seq);
      apply.push(m);
    }
  }
  const gaps: number[] = [];
  let expected = checkpoint + 1;
  for (const m of apply) {
    for (let s = expected; s < m.seq && gaps.length < maxGaps; s++) gaps.push(s);
    expected = m.seq + 1;
  }
  return { apply, skip, gaps };
}

/**
 * The checkpoint after a batch: the highest sequence such that every sequence from the old
 * checkpoint up to it was applied or is known to be absent from the stream.
 */
export function nextCheckpoint(checkpoint: number, applied: Iterable<number>, absent: Iterable<number>): number {
  const done = new Set<number>([...applied, ...absent]);
  let cp = checkpoint;
  while (done.has(cp + 1)) cp++;
  return cp;
}
