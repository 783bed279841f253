import { AckTracker } from './ack-tracker';

describe('AckTracker', () => {
  it('given acks out of order, moves the checkpoint only past the contiguous acknowledged prefix', () => {
    const t = new AckTracker(0);
    const a = t.add(10);
    const b = t.add(20);
    const c = t.add(30);
    expect(t.ack(c)).toBe(false);
    expect(t.committed).toBe(0);
    expect(t.ack(a)).toBe(true);
    expect(t.committed).toBe(10);
    expect(t.ack(b)).toBe(true);
    expect(t.committed).toBe(30);
    expect(t.pending).toBe(0);
  });

  it('given a line that needs no ack (blank), passes it as soon as the lines before it are acknowledged', () => {
    const t = new AckTracker(5);
    const a = t.add(10);
    t.add(11, true);
    expect(t.committed).toBe(5);
    t.ack(a);
    expect(t.committed).toBe(11);
  });

  it('ignores an ack for a ticket it no longer holds', () => {
    const t = new AckTracker();
    const a = t.add(3);
    t.ack(a);
    expect(t.ack(a)).toBe(false);
    expect(t.ack(99)).toBe(false);
    expect(t.committed).toBe(3);
  });
});
