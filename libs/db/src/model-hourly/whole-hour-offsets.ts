// Building an Intl formatter and sampling a month of offsets cost ~1 ms of the API's CPU per
// request; zones are few (the tz database's) and dashboards repeat the same ranges.
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const MAX_OFFSET_FORMATS = 2000;
const wholeHourAnswers = new Map<string, boolean>();
const MAX_WHOLE_HOUR_ANSWERS = 10_000;

/** `zoneHasWholeHourOffsets`, remembered per zone and range. */
export function zoneHasWholeHourOffsetsCached(timeZone: string, from: Date, to: Date): boolean {
  const key = `${timeZone}|${from.getTime()}|${to.getTime()}`;
  let answer = wholeHourAnswers.get(key);
  if (answer === undefined) {
    answer = zoneHasWholeHourOffsets(timeZone, from, to);
    if (wholeHourAnswers.size >= MAX_WHOLE_HOUR_ANSWERS) wholeHourAnswers.clear();
    wholeHourAnswers.set(key, answer);
  }
  return answer;
}

/**
 * Whether every UTC offset the zone used between two instants is a whole number of hours, so
 * its days are unions of UTC hours. Sampled every 6 hours (offset changes last longer than that).
 */
export function zoneHasWholeHourOffsets(timeZone: string, from: Date, to: Date): boolean {
  let fmt = offsetFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    if (offsetFormats.size >= MAX_OFFSET_FORMATS) offsetFormats.clear();
    offsetFormats.set(timeZone, fmt);
  }
  const step = 6 * 3600 * 1000;
  for (let t = from.getTime() - 86400000; t <= to.getTime() + 86400000; t += step) {
    const name = fmt.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT[+-](\d{1,2}):?(\d{2})?/.exec(name);
    if (m && m[2] && m[2] !== '00') return false;
  }
  return true;
}
