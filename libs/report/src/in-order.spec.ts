import { rng } from '../../domain/src/test-support/synthetic-transcript';
import { InOrder } from './in-order';

describe('InOrder', () => {
  it('given results arriving in any order, then they are handed out in index order, each as soon as it can be', () => {
    const rand = rng(5);
    for (let round = 0; round < 20; round++) {
      const indexes = Array.from({ length: 30 }, (_, i) => i).sort(() => rand() - 0.5);
      const out: number[] = [];
      const queue = new InOrder<string>((result, index) => {
        expect(result).toBe(`r${index}`);
        out.push(index);
      });
      for (const i of indexes) {
        queue.add(i, `r${i}`);
        // everything below the lowest missing index is out, nothing above it
        const missing = indexes.slice(indexes.indexOf(i) + 1).reduce((a, b) => Math.min(a, b), 30);
        expect(queue.delivered).toBe(Math.min(missing, 30));
      }
      expect(out).toEqual(Array.from({ length: 30 }, (_, i) => i));
    }
  });

  it('refuses a result that arrives twice', () => {
    const queue = new InOrder<number>(() => undefined);
    queue.add(0, 0);
    expect(() => queue.add(0, 0)).toThrow('arrived twice');
  });
});
