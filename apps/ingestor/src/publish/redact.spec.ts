import { sessionIdFromPath, type Entry, type RunEnvelope } from '@ccpulse/domain';
import { loadIngestConfig } from '../config/ingest-config';
import { Run, itemBudget, lineItem, runMessage, type LineContext } from './run-message';

const SALT = 'team-secret-0123456789';
const line = (session: string, cwd: string, branch: string, i: number) =>
  Buffer.from(
    JSON.stringify({
      type: 'assistant',
      uuid: `${session}-${i}`,
      sessionId: session,
      timestamp: `2026-11-0${i + 1}T10:00:00.000Z`,
      cwd,
      gitBranch: branch,
      requestId: `r-${session}-${i}`,
      message: { id: `m-${session}-${i}`, model: 'claude-sonnet-4-5', usage: { input_tokens: 10, output_tokens: 5 }, content: [] },
    }),
  );

/** The line published alone: its file and entry as the envelope carries them, and the message's id and headers. */
function publish(redact: LineContext['redact'], session: string, cwd: string, branch: string, i = 0): { file: string; entry?: Entry; wire: string } {
  const folder = cwd.replace(/[\\/.]/g, '-');
  const ctx: LineContext = { user: 'ann', host: 'laptop', file: `${folder}/${session}.jsonl`, content: 'slim', subjectPrefix: 'ccpulse', maxLineBytes: 1 << 20, redact };
  const bytes = line(session, cwd, branch, i);
  const run = new Run(0, itemBudget(1 << 20, ctx));
  run.add(lineItem(bytes, 0, ctx), bytes.length + 1);
  const message = runMessage(run, ctx);
  const envelope = JSON.parse(message.data) as RunEnvelope;
  const first = envelope.lines[0];
  return { file: envelope.file, ...('e' in first ? { entry: first.e } : {}), wire: `${message.msgId}\n${message.headers}\n${message.data}` };
}

describe('INGEST_REDACT', () => {
  const redact = { paths: true, branches: true, salt: SALT };

  it('hides directories, transcript folders and branches, keeping the last folder name', () => {
    const e = publish(redact, 's1', '/home/ann/clients/acme/api', 'feature/ACME-42', 0);
    const text = e.wire;
    expect(text).not.toContain('acme');
    expect(text).not.toContain('ACME-42');
    expect(text).not.toContain('/home/ann');
    expect(e.entry!.cwd).toMatch(/^\/redacted-[0-9a-f]{16}\/api$/);
    expect(e.entry!.gitBranch).toMatch(/^redacted-[0-9a-f]{16}$/);
    expect(e.file).toMatch(/^redacted-[0-9a-f]{16}\/s1\.jsonl$/);
    expect(sessionIdFromPath(e.file)).toBe('s1');
  });

  it('still groups sessions into the same projects (the project is the working directory)', () => {
    const published = [
      publish(redact, 's1', '/home/ann/clients/acme/api', 'main', 0),
      publish(redact, 's1', '/home/ann/clients/acme/api', 'main', 1),
      publish(redact, 's2', '/home/ann/clients/acme/api', 'dev', 0),
      publish(redact, 's3', '/home/ann/clients/acme/web', 'main', 0),
      publish(redact, 's4', '/home/ann/other/api', 'main', 0),
    ];
    const projectOf = new Map<string, Set<string>>();
    for (const e of published) {
      const set = projectOf.get(e.entry!.cwd!) ?? new Set<string>();
      set.add(e.entry!.sessionId!);
      projectOf.set(e.entry!.cwd!, set);
    }
    expect([...projectOf.values()].map((s) => [...s].sort())).toEqual([['s1', 's2'], ['s3'], ['s4']]);
    // two different directories that share a last folder name stay apart
    expect(published[0].entry!.cwd).not.toBe(published[4].entry!.cwd);
    // another machine of the team with the same salt publishes the same project
    expect(publish({ ...redact }, 's9', '/home/ann/clients/acme/api', 'main').entry!.cwd).toBe(published[0].entry!.cwd);
    // a different salt gives a different value: the hash cannot be checked without it
    expect(publish({ ...redact, salt: 'another-team-salt-000' }, 's1', '/home/ann/clients/acme/api', 'main').entry!.cwd).not.toBe(published[0].entry!.cwd);
  });

  it('hides only what is asked', () => {
    const e = publish({ paths: false, branches: true, salt: SALT }, 's1', '/home/ann/acme', 'secret-branch');
    expect(e.entry!.cwd).toBe('/home/ann/acme');
    expect(e.entry!.gitBranch).not.toContain('secret');
    expect(publish(undefined, 's1', '/home/ann/acme', 'b').entry!.cwd).toBe('/home/ann/acme');
  });

  it('is configured by INGEST_REDACT and a team salt', () => {
    const base = { CCPULSE_USER: 'ann', CCPULSE_HOST: 'laptop' };
    expect(loadIngestConfig({ ...base }, { once: true, help: false }).redact).toBeUndefined();
    expect(loadIngestConfig({ ...base, INGEST_REDACT: 'paths,branches', INGEST_REDACT_SALT: SALT }, { once: true, help: false }).redact).toEqual(redact);
    expect(() => loadIngestConfig({ ...base, INGEST_REDACT: 'paths' }, { once: true, help: false })).toThrow(/INGEST_REDACT_SALT/);
    expect(() => loadIngestConfig({ ...base, INGEST_REDACT: 'names', INGEST_REDACT_SALT: SALT }, { once: true, help: false })).toThrow(/INGEST_REDACT/);
  });
});
