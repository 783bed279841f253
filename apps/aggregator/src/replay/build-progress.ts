/** One observation of a rebuild: when, and which stream sequence it had reached. */
export interface RateSample {
  at: number;
  checkpoint: number;
}

/** How far a rebuild is, for logs, metrics and `ccpulse replay --wait`. */
export interface BuildProgress {
  schema: string;
  consumer: string;
  /** Last stream sequence committed to the shadow schema. */
  checkpoint: number;
  /** Messages applied by this process since the rebuild started. */
  appliedMessages: number;
  /** Stream head (last sequence) when measured. */
  head: number;
  ratePerSecond: number;
  /** Seconds to reach the head at the current rate; null while the rate is unknown. */
  etaSeconds: number | null;
  caughtUp: boolean;
}

const WINDOW_MS = 10_000;
/** Consecutive "within one batch of the head" checks after which a busy stream counts as caught up. */
export const NEAR_HEAD_CHECKS = 10;

/**
 * Progress from the runner's checkpoint, the stream head and a sliding window of samples (the
 * list is updated in place). Caught up means nothing left to deliver and the head reached.
 */
export function buildProgress(input: {
  schema: string;
  consumer: string;
  checkpoint: number;
  appliedMessages: number;
  head: number;
  numPending: number | undefined;
  samples: RateSample[];
  now: number;
}): BuildProgress {
  const { samples, now, checkpoint, head } = input;
  samples.push({ at: now, checkpoint });
  while (samples.length > 2 && now - samples[0].at > WINDOW_MS) samples.shift();
  const first = samples[0];
  const seconds = (now - first.at) / 1000;
  const ratePerSecond = seconds > 0 ? Math.max(0, (checkpoint - first.checkpoint) / seconds) : 0;
  const left = Math.max(0, head - checkpoint);
  const caughtUp = checkpoint >= head && (input.numPending ?? 0) === 0;
  return {
    schema: input.schema,
    consumer: input.consumer,
    checkpoint,
    appliedMessages: input.appliedMessages,
    head,
    ratePerSecond: Math.round(ratePerSecond),
    etaSeconds: caughtUp ? 0 : ratePerSecond > 0 ? Math.ceil(left / ratePerSecond) : null,
    caughtUp,
  };
}
