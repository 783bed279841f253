/** A time zone name that Intl does not know; the report exits 2 naming `--timezone`. */
export class InvalidTimeZoneError extends Error {
  readonly code = 'INVALID_TIME_ZONE';
  constructor(readonly timeZone: string) {
    super(`--timezone: '${timeZone}' is not an IANA time zone (e.g. UTC, Europe/Paris)`);
    this.name = 'InvalidTimeZoneError';
  }
}

const QUARTER_HOUR = 15 * 60_000;

/**
 * Local calendar keys (day, Monday-start week, month) of instants in one IANA zone. Formatting
 * with Intl is slow, so results are cached per quarter hour: every zone offset in use is a
 * multiple of 15 minutes, so a quarter hour never straddles a local midnight.
 */
export class ZonedCalendar {
  readonly timeZone: string;
  private readonly format: Intl.DateTimeFormat;
  private readonly days = new Map<number, string>();

  constructor(timeZone?: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new InvalidTimeZoneError(String(timeZone));
    }
    this.timeZone = this.format.resolvedOptions().timeZone;
  }

  /** `YYYY-MM-DD` in the zone. */
  dayOf(ms: number): string {
    const q = Math.floor(ms / QUARTER_HOUR);
    let day = this.days.get(q);
    if (day === undefined) {
      const parts = this.format.formatToParts(new Date(q * QUARTER_HOUR));
      const get = (t: string) => parts.find((p) => p.type === t)!.value;
      day = `${get('year')}-${get('month')}-${get('day')}`;
      this.days.set(q, day);
    }
    return day;
  }

  /** The Monday (`YYYY-MM-DD`) starting the local week of `ms`. */
  weekOf(ms: number): string {
    return mondayOf(this.dayOf(ms));
  }

  /** `YYYY-MM` in the zone. */
  monthOf(ms: number): string {
    return this.dayOf(ms).slice(0, 7);
  }
}

export function mondayOf(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const utc = Date.UTC(y, m - 1, d);
  const back = (new Date(utc).getUTCDay() + 6) % 7;
  return new Date(utc - back * 86_400_000).toISOString().slice(0, 10);
}
