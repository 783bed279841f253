import { shortenMiddle } from './path';

describe('shortenMiddle', () => {
  it('keeps short paths whole', () => {
    expect(shortenMiddle('/src/shop', 36)).toBe('/src/shop');
  });

  it('cuts long paths in the middle, keeping the start and the project name at the end', () => {
    const long = '/home/someone-with-a-long-name/work/clients/acme/monorepo/packages/checkout-service';
    const short = shortenMiddle(long, 36);
    expect(short).toHaveLength(36);
    expect(short.startsWith('/home/')).toBe(true);
    expect(short.endsWith('/checkout-service')).toBe(true);
    expect(short).toContain('…');
  });

  it('still fits when the last segment alone is longer than the limit', () => {
    const short = shortenMiddle(`/r/${'x'.repeat(80)}`, 20);
    expect(short).toHaveLength(20);
    expect(short.startsWith('/r/')).toBe(true);
  });
});
