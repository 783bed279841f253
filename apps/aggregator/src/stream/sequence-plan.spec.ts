import { nextCheckpoint, planSequences } from './sequence-plan';
import type { StreamMessage } from './stream-message';

const msg = (seq: number): StreamMessage => ({ seq, subject: 's', data: new Uint8Array(), deliveryCount: 1 });
const seqs = (ms: StreamMessage[]) => ms.map((m) => m.seq);

describe('planSequences', () => {
  it('skips redeliveries at or below the checkpoint and repeats within the batch', () => {
    const plan = planSequences(10, [msg(12), msg(9), msg(11), msg(10), msg(12)], 100);
    expect(seqs(plan.apply)).toEqual([11, 12]);
    expect(seqs(plan.skip).sort((a, b) => a - b)).toEqual([9, 10, 12]);
    expect(plan.gaps).toEqual([]);
  });

  it('names the sequences missing between the checkpoint and the batch', () => {
    const plan = planSequences(10, [msg(15), msg(13)], 100);
    expect(seqs(plan.apply)).toEqual([13, 15]);
    expect(plan.gaps).toEqual([11, 12, 14]);
  });

  it('bounds the gap list', () => {
    expect(planSequences(0, [msg(1000)], 5).gaps).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('nextCheckpoint', () => {
  it('advances only over sequences applied or known absent', () => {
    expect(nextCheckpoint(10, [11, 12, 14], [])).toBe(12);
    expect(nextCheckpoint(10, [11, 12, 14], [13])).toBe(14);
    expect(nextCheckpoint(10, [], [])).toBe(10);
  });
});
