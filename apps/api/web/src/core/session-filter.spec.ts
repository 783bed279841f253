import { apiFilter } from './session-filter';

describe('apiFilter', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');

  it('turns From/To days into the instants they start and end at in the picked zone', () => {
    expect(apiFilter({ model: 'opus', from: '2026-11-01', to: '2026-11-02' }, now, 'Asia/Kolkata')).toEqual({ model: 'opus', from: '2026-10-31T18:30:00.000Z', to: '2026-11-02T18:30:00.000Z' });
  });

  it('turns a preset into the start of its first day, and explicit days win over it', () => {
    expect(apiFilter({ days: '7' }, now, 'UTC')).toEqual({ from: '2026-11-15T00:00:00.000Z' });
    expect(apiFilter({ days: '7', from: '2026-01-01' }, now, 'UTC')).toEqual({ from: '2026-01-01T00:00:00.000Z' });
    expect(apiFilter({ user: 'ann', project: '/p' }, now, 'UTC')).toEqual({ user: 'ann', project: '/p' });
  });
});
