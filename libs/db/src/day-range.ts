/** UTC days `[from, to]` (inclusive, `YYYY-MM-DD`) of the daily read models, for everyone or some users. */
export interface DayRange {
  from: string;
  to: string;
  users?: string[];
}
