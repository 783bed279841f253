import { parseAttributionCatalog } from './attribution-catalog';

describe('parseAttributionCatalog', () => {
  it('reads YAML and JSON catalogs into rows', () => {
    const yaml = 'skills:\n  - name: pdf\n    source: curated\n    ref_id: 12\nagents:\n  - { name: reviewer, source: flea }\n';
    expect(parseAttributionCatalog(yaml)).toEqual({
      ok: true,
      entries: [
        { kind: 'skills', name: 'pdf', source: 'curated', refId: '12' },
        { kind: 'agents', name: 'reviewer', source: 'flea', refId: null },
      ],
    });
    const json = JSON.stringify({ commands: [{ name: 'deploy', source: 'curated', ref_id: 'c-9' }] }, null, 2);
    expect(parseAttributionCatalog(json)).toEqual({ ok: true, entries: [{ kind: 'commands', name: 'deploy', source: 'curated', refId: 'c-9' }] });
  });

  it('reports every bad row with its line and returns no rows', () => {
    const text = ['skills:', '  - name: ok', '    source: curated', '  - name: bad', '    source: vendor', 'plugins: []', 'agents:', '  - source: flea'].join('\n');
    const r = parseAttributionCatalog(text);
    expect(r).toEqual({
      ok: false,
      problems: [
        { line: 4, message: "skills 'bad': 'source' must be curated or flea" },
        { line: 6, message: "unknown section 'plugins' (expected skills, agents, commands)" },
        { line: 8, message: "agents: 'name' must be a non-empty string" },
      ],
    });
  });

  it('rejects syntax errors and non-mapping documents without throwing', () => {
    expect(parseAttributionCatalog('skills: [')).toMatchObject({ ok: false });
    expect(parseAttributionCatalog('- 1\n- 2')).toMatchObject({ ok: false, problems: [{ line: 1 }] });
  });
});
