import { paintScheduler, RenderMemo } from './dom';

describe('RenderMemo', () => {
  it('reports a part as changed only when its data differs from the last render', () => {
    const m = new RenderMemo();
    expect(m.changed('cards', { a: 1 })).toBe(true);
    expect(m.changed('cards', { a: 1 })).toBe(false);
    expect(m.changed('table', { a: 1 })).toBe(true);
    expect(m.changed('cards', { a: 2 })).toBe(true);
  });
});

describe('paintScheduler', () => {
  beforeAll(() => {
    (globalThis as any).requestAnimationFrame = (cb: (t: number) => void) => setTimeout(() => cb(performance.now()), 1) as unknown as number;
    (globalThis as any).cancelAnimationFrame = (id: number) => clearTimeout(id);
  });

  it('collapses a burst into one paint and spaces paints by the minimum interval', async () => {
    const at: number[] = [];
    const p = paintScheduler(() => at.push(performance.now()), 50);
    for (let i = 0; i < 20; i++) p.request();
    await new Promise((r) => setTimeout(r, 20));
    expect(at.length).toBe(1);
    for (let i = 0; i < 20; i++) p.request();
    await new Promise((r) => setTimeout(r, 120));
    expect(at.length).toBe(2);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(45);
    p.request();
    p.cancel();
    await new Promise((r) => setTimeout(r, 80));
    expect(at.length).toBe(2);
  });
});
