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

describe('AckTracker over many lines', () => {
  it('given thousands of lines acked out of order and twice, commits exactly the contiguous prefix every time', () => {
    const t = new AckTracker(0);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const done = new Set<number>();
    let registered = 0;
    let outstanding: number[] = [];
    for (let round = 0; round < 60; round++) {
      for (let i = 0; i < 300; i++) {
        const blank = random() < 0.05;
        const ticket = t.add((registered + 1) * 10, blank);
        expect(ticket).toBe(registered++);
        if (blank) done.add(ticket);
        else outstanding.push(ticket);
      }
      outstanding.sort(() => random() - 0.5);
      // Most rounds ack a shuffled part of what is outstanding; every fifth acks all of it.
      const now = round % 5 === 4 ? outstanding : outstanding.slice(0, Math.floor(outstanding.length * 0.8));
      for (const ticket of now) {
        t.ack(ticket);
        expect(t.ack(ticket)).toBe(false);
        done.add(ticket);
      }
      outstanding = outstanding.filter((ticket) => !done.has(ticket));
      let prefix = 0;
      while (done.has(prefix)) prefix++;
      expect(t.committed).toBe(prefix * 10);
      expect(t.pending).toBe(registered - prefix);
    }
    expect(t.pending).toBe(0);
  });
});
