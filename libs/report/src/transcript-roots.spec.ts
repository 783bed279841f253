import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverRoots, listTranscriptFiles } from './transcript-roots';

describe('transcript roots', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ccpulse-roots-'));
    mkdirSync(join(dir, 'a', 'projects', 'p1', 's1', 'subagents'), { recursive: true });
    writeFileSync(join(dir, 'a', 'projects', 'p1', 's1.jsonl'), '{}\n');
    writeFileSync(join(dir, 'a', 'projects', 'p1', 's1', 'subagents', 'agent-x.jsonl'), '{}\n');
    writeFileSync(join(dir, 'a', 'projects', 'p1', 'notes.txt'), 'x');
    mkdirSync(join(dir, 'home', '.claude', 'projects'), { recursive: true });
    symlinkSync(join(dir, 'a'), join(dir, 'alias'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads CLAUDE_CONFIG_DIR as a comma list, names the missing ones and lists a symlinked twin once', () => {
    const env = { CLAUDE_CONFIG_DIR: `${join(dir, 'a')}, ${join(dir, 'alias')},${join(dir, 'nope')}`, HOME: join(dir, 'home') };
    expect(discoverRoots(env)).toEqual({ roots: [join(dir, 'a', 'projects')], missing: [join(dir, 'nope', 'projects')] });
  });

  it('falls back to ~/.config/claude and ~/.claude, and --dir wins over everything', () => {
    expect(discoverRoots({ HOME: join(dir, 'home') })).toEqual({ roots: [join(dir, 'home', '.claude', 'projects')], missing: [] });
    expect(discoverRoots({ HOME: join(dir, 'home'), CLAUDE_CONFIG_DIR: '/x' }, join(dir, 'a'))).toEqual({ roots: [join(dir, 'a', 'projects')], missing: [] });
    expect(discoverRoots({}, join(dir, 'missing')).missing).toEqual([join(dir, 'missing')]);
  });

  it('lists *.jsonl at any depth, subagents included', async () => {
    const files = await listTranscriptFiles(join(dir, 'a', 'projects'));
    expect(files.map((f) => f.file)).toEqual([join('p1', 's1.jsonl'), join('p1', 's1', 'subagents', 'agent-x.jsonl')]);
  });
});
