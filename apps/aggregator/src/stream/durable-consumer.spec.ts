import { consumerNameFor } from './durable-consumer';

describe('consumerNameFor', () => {
  it('names the durable consumer after the projection schema it writes', () => {
    expect(consumerNameFor('usage_v3')).toBe('aggregator-v3');
    expect(consumerNameFor('usage_v3_r2')).toBe('aggregator-v3-r2');
  });

  it('refuses what is not a projection schema name (the one pattern of libs/db)', () => {
    for (const name of ['usage_v0', 'usage_v03', 'usage_v3_r0', 'usage_v3_', 'public']) {
      expect(() => consumerNameFor(name)).toThrow(/not a projection schema name/);
    }
  });
});
