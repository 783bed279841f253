import { compareByOrder, epochMicros, USAGE_COPY_ORDER } from './copy-rules';

describe('copy rules as data', () => {
  const pick = (v: Record<string, unknown>) => (f: string) => v[f] as never;
  const base = { isSidechain: false, totalTokens: 10, ts: 1_000_000, sessionId: 's-b', entryKey: 'e1' };

  it('orders by the keys in turn: main chain, larger total, earlier, smaller session, smaller entry key', () => {
    const cmp = (a: object, b: object) => Math.sign(compareByOrder(USAGE_COPY_ORDER, pick({ ...base, ...a }), pick({ ...base, ...b })));
    expect(cmp({ isSidechain: false, totalTokens: 1 }, { isSidechain: true, totalTokens: 99 })).toBe(-1);
    expect(cmp({ totalTokens: 11 }, {})).toBe(-1);
    expect(cmp({ ts: 999_999 }, {})).toBe(-1);
    expect(cmp({ ts: undefined }, {})).toBe(1);
    expect(cmp({ sessionId: 's-a' }, {})).toBe(-1);
    expect(cmp({ entryKey: 'e0' }, {})).toBe(-1);
    expect(cmp({}, {})).toBe(0);
  });

  it('reads stored instants at microsecond precision, whatever the spelling', () => {
    expect(epochMicros('2026-01-01T10:00:00.123400Z')).toBe(Date.UTC(2026, 0, 1, 10) * 1000 + 123_400);
    expect(epochMicros('2026-01-01T10:00:00.123401Z')! - epochMicros('2026-01-01T10:00:00.1234Z')!).toBe(1);
    expect(epochMicros('2026-01-01T11:00:00.5+01:00')).toBe(Date.UTC(2026, 0, 1, 10) * 1000 + 500_000);
    expect(epochMicros(new Date(5))).toBe(5000);
    expect(epochMicros(null)).toBeUndefined();
  });
});
