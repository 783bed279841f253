import { withOutcomes } from './with-outcomes';

const keys = { day: null, week: null, month: null, model: null, user: null, project: null };
const outcome = (o: object) => ({ ...keys, linesAdded: 0, linesRemoved: 0, commits: 0, pullRequests: 0, editsAccepted: 0, editsRejected: 0, ...o });

describe('withOutcomes', () => {
  it('adds the outcome sums to the usage row of the same keys, zero where none', () => {
    const rows = withOutcomes(
      [{ ...keys, user: 'alice', costUsd: 1 }, { ...keys, user: 'bob', costUsd: 2 }],
      [outcome({ user: 'alice', linesAdded: 5, commits: 1 })],
      ['costUsd'],
      ['USER'],
    );
    expect(rows).toEqual([
      { ...keys, user: 'alice', costUsd: 1, linesAdded: 5, linesRemoved: 0, commits: 1, pullRequests: 0, editsAccepted: 0, editsRejected: 0 },
      { ...keys, user: 'bob', costUsd: 2, linesAdded: 0, linesRemoved: 0, commits: 0, pullRequests: 0, editsAccepted: 0, editsRejected: 0 },
    ]);
  });

  it('keeps keys with outcomes but no response, with zero totals, in the grouping order', () => {
    const rows = withOutcomes([{ ...keys, day: '2026-11-02', model: 'm', costUsd: 1 }], [outcome({ day: '2026-11-01', model: 'm', editsRejected: 2 })], ['costUsd'], ['DAY', 'MODEL']);
    expect(rows.map((r) => [r.day, r.costUsd, r.editsRejected])).toEqual([
      ['2026-11-01', 0, 2],
      ['2026-11-02', 1, 0],
    ]);
  });
});
