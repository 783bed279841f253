import { coalesce } from './coalesce';

describe('coalesce', () => {
  it('runs once more after a burst instead of once per trigger', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const c = coalesce(async () => {
      runs++;
      await new Promise<void>((r) => (release = r));
    });
    c.trigger();
    for (let i = 0; i < 10; i++) c.trigger();
    expect(runs).toBe(1);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(c.running).toBe(false);
    expect(runs).toBe(2);
  });

  it('keeps working after a failed run', async () => {
    let runs = 0;
    const c = coalesce(async () => {
      runs++;
      throw new Error('boom');
    });
    c.trigger();
    await new Promise((r) => setTimeout(r, 0));
    c.trigger();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
  });
});
