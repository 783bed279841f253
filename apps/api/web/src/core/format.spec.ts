import { formatAxisInstant, formatCompact, formatDateTime, formatDay, formatDuration, formatInteger, formatMillis, formatPercent, formatRelative, formatUsd, toNumber } from './format';

describe('format', () => {
  it('keeps every digit of a BigInt string and groups thousands', () => {
    expect(formatInteger(1234567)).toBe('1,234,567');
    expect(formatInteger('9007199254740993')).toBe('9,007,199,254,740,993');
    expect(formatInteger(0)).toBe('0');
    expect(formatInteger(null)).toBe('–');
  });

  it('reads scalars as numbers, junk as zero', () => {
    expect(toNumber('42')).toBe(42);
    expect(toNumber('x')).toBe(0);
    expect(toNumber(null)).toBe(0);
  });

  it('abbreviates large token counts to three significant digits', () => {
    expect(formatCompact(987)).toBe('987');
    expect(formatCompact(12_345)).toBe('12.3k');
    expect(formatCompact(4_560_000)).toBe('4.56M');
    expect(formatCompact(123_456_789)).toBe('123M');
    expect(formatCompact('2500000000')).toBe('2.50B');
  });

  it('shows money with cents, and small amounts with four decimals', () => {
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0.01234)).toBe('$0.01');
    expect(formatUsd(0.001234)).toBe('$0.0012');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.00001)).toBe('<$0.0001');
    expect(formatUsd('12.5')).toBe('$12.50');
  });

  it('formats ratios and durations', () => {
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(null)).toBe('–');
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(725)).toBe('12m 5s');
    expect(formatDuration(3 * 3600 + 20 * 60)).toBe('3h 20m');
    expect(formatDuration(52 * 3600)).toBe('2d 4h');
    expect(formatMillis(850)).toBe('850 ms');
    expect(formatMillis(2400)).toBe('2.4 s');
  });

  it('says how long ago an instant was, relative to the given now', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(formatRelative('2026-11-26T11:59:50Z', now)).toBe('just now');
    expect(formatRelative('2026-11-26T11:55:00Z', now)).toBe('5 min ago');
    expect(formatRelative('2026-11-26T09:00:00Z', now)).toBe('3 h ago');
    expect(formatRelative('2026-11-24T12:00:00Z', now)).toBe('2 days ago');
    expect(formatRelative(null, now)).toBe('never');
    expect(formatRelative('2026-11-26T12:05:00Z', now)).toBe('just now');
  });
});

describe('one date style for text and axes', () => {
  it('writes days, months and axis instants alike', () => {
    expect(formatDay('2026-12-14')).toBe('14 Dec 2026');
    expect(formatDay('2026-12-14', true)).toBe('14 Dec');
    expect(formatDay('2026-12')).toBe('Dec 2026');
    expect(formatDay('junk')).toBe('junk');
    expect(formatAxisInstant(Date.parse('2026-12-14T09:05:00Z'), 'UTC', true)).toBe('14 Dec 09:05');
    expect(formatAxisInstant(Date.parse('2026-12-14T23:30:00Z'), 'Asia/Kolkata', false)).toBe('15 Dec');
    expect(formatDateTime('2026-12-14T09:05:00Z', 'UTC')).toBe('14 Dec 2026, 09:05');
  });
});
