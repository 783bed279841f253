import { buildProgress, type RateSample } from './build-progress';

describe('buildProgress', () => {
  it('measures the rate over a window and estimates the time left', () => {
    const samples: RateSample[] = [];
    const base = { schema: 'usage_v2', consumer: 'aggregator-v2', appliedMessages: 0, head: 10_000, numPending: 5000, samples };
    buildProgress({ ...base, checkpoint: 0, now: 0 });
    const p = buildProgress({ ...base, checkpoint: 5000, now: 2000 });
    expect(p.ratePerSecond).toBe(2500);
    expect(p.etaSeconds).toBe(2);
    expect(p.caughtUp).toBe(false);
  });

  it('is caught up at the head with nothing pending', () => {
    const p = buildProgress({ schema: 's', consumer: 'c', appliedMessages: 3, checkpoint: 3, head: 3, numPending: 0, samples: [], now: 1 });
    expect(p).toMatchObject({ caughtUp: true, etaSeconds: 0 });
  });
});
