import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../main';
import { checkTranscriptPresence, describeNoTranscripts } from './transcript-presence';

describe('transcript presence', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ccpulse-presence-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given no folder, then says none exists, naming the folders searched and CLAUDE_CONFIG_DIR', async () => {
    const roots = [join(dir, 'a', 'projects'), join(dir, 'b', 'projects')];
    const p = await checkTranscriptPresence(roots);
    expect(p).toEqual({ searched: roots, existing: [], anyTranscript: false });
    const unset = describeNoTranscripts(p, {});
    expect(unset).toMatch(/^no transcript folder exists/);
    for (const r of roots) expect(unset).toContain(r);
    expect(unset).toMatch(/CLAUDE_CONFIG_DIR is not set/);
    expect(describeNoTranscripts(p, { CLAUDE_CONFIG_DIR: `${dir}/a,${dir}/b` })).toContain(`CLAUDE_CONFIG_DIR=${dir}/a,${dir}/b`);
  });

  it('given folders without any transcript, then says none was found; with one at any depth, then nothing to say', async () => {
    const root = join(dir, 'projects');
    mkdirSync(join(root, '-p-x', 'subagents'), { recursive: true });
    writeFileSync(join(root, '-p-x', 'notes.txt'), 'x');
    const empty = await checkTranscriptPresence([root]);
    expect(describeNoTranscripts(empty, {})).toMatch(/^no transcripts found: searched .*projects.*or pass --dir PATH$/);
    writeFileSync(join(root, '-p-x', 'subagents', 'agent-1.jsonl'), '{}\n');
    expect(describeNoTranscripts(await checkTranscriptPresence([root]), {})).toBeUndefined();
  });

  it('given `ingest --once` and no transcript folder, then exits 2 with the message, before connecting anywhere', async () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const saved = { CLAUDE_CONFIG_DIR: process.env.CLAUDE_CONFIG_DIR, NATS_URL: process.env.NATS_URL };
    process.env.CLAUDE_CONFIG_DIR = join(dir, 'nowhere');
    process.env.NATS_URL = 'nats://127.0.0.1:1';
    try {
      // NATS_URL points nowhere: reaching it would fail differently (exit 1).
      const code = await run(['--once']);
      expect(code).toBe(2);
      const said = err.mock.calls.map((c) => String(c[0])).join('');
      expect(said).toContain(join(dir, 'nowhere', 'projects'));
      expect(said).toMatch(/no transcript folder exists.*CLAUDE_CONFIG_DIR=/);
    } finally {
      err.mockRestore();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
