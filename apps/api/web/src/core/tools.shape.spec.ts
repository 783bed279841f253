import { pluginTotals, toolTotals } from './tools.shape';

describe('tools shaping', () => {
  it('sums calls and errors per tool with a call-weighted mean duration', () => {
    const t = toolTotals([
      { tool: 'Bash', calls: 3, errors: 1, avgDurationMs: 100 },
      { tool: 'Bash', calls: 1, errors: 0, avgDurationMs: 500 },
      { tool: 'Read', calls: 1, errors: 0, avgDurationMs: null },
    ]);
    expect(t).toEqual([
      { tool: 'Bash', calls: 4, errors: 1, errorRate: 0.25, avgDurationMs: 200 },
      { tool: 'Read', calls: 1, errors: 0, errorRate: 0, avgDurationMs: null },
    ]);
  });

  it('sums plugin invocations per kind and name', () => {
    const p = pluginTotals([
      { kind: 'skill', name: 'pdf', source: 'curated', refId: 'c1', invocations: 2 },
      { kind: 'skill', name: 'pdf', source: 'curated', refId: 'c1', invocations: 1 },
      { kind: 'command', name: 'init', source: 'builtin', refId: null, invocations: 3 },
    ]);
    expect(p.map((x) => [x.name, x.invocations])).toEqual([['pdf', 3], ['init', 3]]);
  });
});
