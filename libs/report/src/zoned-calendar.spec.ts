import { InvalidTimeZoneError, ZonedCalendar, mondayOf } from './zoned-calendar';

describe('ZonedCalendar', () => {
  it('puts an instant on its local day, for whole, half and quarter hour offsets and across DST', () => {
    const t = Date.UTC(2026, 2, 29, 18, 20); // 18:20Z
    expect(new ZonedCalendar('UTC').dayOf(t)).toBe('2026-03-29');
    expect(new ZonedCalendar('Asia/Tokyo').dayOf(t)).toBe('2026-03-30'); // 03:20 +09
    expect(new ZonedCalendar('Asia/Kathmandu').dayOf(Date.UTC(2026, 2, 29, 18, 14))).toBe('2026-03-29'); // 23:59 +05:45
    expect(new ZonedCalendar('Asia/Kathmandu').dayOf(Date.UTC(2026, 2, 29, 18, 15))).toBe('2026-03-30'); // 00:00 +05:45
    expect(new ZonedCalendar('Asia/Kolkata').dayOf(Date.UTC(2026, 2, 29, 18, 29, 59))).toBe('2026-03-29');
    expect(new ZonedCalendar('Asia/Kolkata').dayOf(Date.UTC(2026, 2, 29, 18, 30))).toBe('2026-03-30');
    const paris = new ZonedCalendar('Europe/Paris'); // DST began 2026-03-29 01:00Z
    expect(paris.dayOf(Date.UTC(2026, 2, 29, 21, 59))).toBe('2026-03-29');
    expect(paris.dayOf(Date.UTC(2026, 2, 29, 22, 0))).toBe('2026-03-30');
    expect(paris.monthOf(Date.UTC(2026, 2, 31, 22, 30))).toBe('2026-04');
  });

  it('weeks start on Monday', () => {
    expect(mondayOf('2026-01-04')).toBe('2025-12-29');
    expect(mondayOf('2026-01-05')).toBe('2026-01-05');
    expect(mondayOf('2026-01-11')).toBe('2026-01-05');
  });

  it('refuses an unknown zone with a named error', () => {
    expect(() => new ZonedCalendar('Mars/Olympus')).toThrow(InvalidTimeZoneError);
  });
});
