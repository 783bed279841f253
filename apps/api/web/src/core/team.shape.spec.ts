import type { TeamRow } from '../api/team.queries';
import { acceptanceRate, decisionsByTool, sortTeam, teamTotals, unpricedByUser } from './team.shape';

const row = (user: string, o: Partial<TeamRow>): TeamRow => ({
  user, sessions: 0, prompts: 0, activeSeconds: 0, totalTokens: 0, costUsd: 0, linesAdded: 0, linesRemoved: 0, commits: 0, pullRequests: 0, editsAccepted: 0, editsRejected: 0, acceptanceRate: null, ...o,
});

describe('team shape', () => {
  const rows = [row('bob', { costUsd: 2, totalTokens: '9007199254740993', acceptanceRate: 0.5 }), row('alice', { costUsd: 5, totalTokens: 10, acceptanceRate: null }), row('carol', { costUsd: 2, totalTokens: 3, acceptanceRate: 1 })];

  it('sorts by any column either way, ties by user', () => {
    expect(sortTeam(rows, 'costUsd', 'desc').map((r) => r.user)).toEqual(['alice', 'bob', 'carol']);
    expect(sortTeam(rows, 'costUsd', 'asc').map((r) => r.user)).toEqual(['bob', 'carol', 'alice']);
    expect(sortTeam(rows, 'user', 'asc').map((r) => r.user)).toEqual(['alice', 'bob', 'carol']);
    expect(sortTeam(rows, 'totalTokens', 'desc').map((r) => r.user)).toEqual(['bob', 'alice', 'carol']);
    expect(sortTeam(rows, 'acceptanceRate', 'desc').map((r) => r.user)).toEqual(['carol', 'bob', 'alice']);
  });

  it('totals the rows and rates the sums', () => {
    const t = teamTotals([row('a', { editsAccepted: 3, editsRejected: 1, costUsd: 1.5, linesAdded: 10 }), row('b', { editsAccepted: 0, editsRejected: 4, costUsd: 1, linesAdded: 5 })]);
    expect(t).toMatchObject({ editsAccepted: 3, editsRejected: 5, costUsd: 2.5, linesAdded: 15, acceptanceRate: 3 / 8 });
    expect(acceptanceRate(0, 0)).toBeNull();
  });

  it('sums decisions per tool and leaves out tools nobody decided on', () => {
    expect(decisionsByTool([{ tool: 'Edit', accepted: 2, rejected: 1 }, { tool: 'Read', accepted: 0, rejected: 0 }, { tool: 'Edit', accepted: 1, rejected: 0 }, { tool: 'Bash', accepted: 9, rejected: 1 }])).toEqual([
      { tool: 'Bash', accepted: 9, rejected: 1, rate: 0.9 },
      { tool: 'Edit', accepted: 3, rejected: 1, rate: 0.75 },
    ]);
  });

  it('sums tokens without a price per user, only the filtered model\'s when one is picked', () => {
    const costs = [
      { user: 'ann', model: 'acme-llm-1', unpricedTokens: '700' },
      { user: 'ann', model: 'acme-llm-1', unpricedTokens: 300 },
      { user: 'ann', model: 'claude-sonnet-4', unpricedTokens: 0 },
      { user: 'bob', model: 'claude-sonnet-4', unpricedTokens: 0 },
      { user: 'cy', model: 'other-llm', unpricedTokens: 5 },
    ];
    expect(Object.fromEntries(unpricedByUser(costs))).toEqual({ ann: 1000, cy: 5 });
    expect(Object.fromEntries(unpricedByUser(costs, 'claude-sonnet-4'))).toEqual({});
    expect(Object.fromEntries(unpricedByUser(costs, 'other-llm'))).toEqual({ cy: 5 });
  });
});
