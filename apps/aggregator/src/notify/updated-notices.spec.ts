import { emptyChanges, MAX_SESSION_NOTICES_PER_USER, noteChange, noticesFor } from './updated-notices';

describe('noticesFor', () => {
  it('sends one notice per touched session listing the user’s changed days', () => {
    const c = emptyChanges();
    noteChange(c, 'bob', 's2', '2026-01-02');
    noteChange(c, 'bob', 's1', undefined);
    noteChange(c, 'amy', undefined, '2026-01-01');
    const out = noticesFor(c, 'ccpulse', 99, 5);
    expect(out.map((n) => n.subject)).toEqual(['ccpulse.updated.amy._', 'ccpulse.updated.bob.s1', 'ccpulse.updated.bob.s2']);
    expect(out[1].notice).toEqual({ v: 1, user: 'bob', sessions: ['s1'], days: ['2026-01-02'], users: ['bob'], seq: 99, committedAt: 5 });
  });

  it('folds a backfill’s many sessions into one notice per user', () => {
    const c = emptyChanges();
    for (let i = 0; i <= MAX_SESSION_NOTICES_PER_USER; i++) noteChange(c, 'bob', `s${i}`, undefined);
    const out = noticesFor(c, 'p', 1, 1);
    expect(out).toHaveLength(1);
    expect(out[0].subject).toBe('p.updated.bob._');
    expect(out[0].notice.sessions).toHaveLength(MAX_SESSION_NOTICES_PER_USER + 1);
  });
});
