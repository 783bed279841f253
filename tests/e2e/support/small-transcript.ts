/**
 * A tiny, synthetic Claude Code transcript (a prompt and a priced answer per session, stamped
 * "now") for browser suites that must run on a fresh clone, without the shared fixtures.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Writes `sessions` transcripts of project `/work/<project>` under `projectsDir`; returns their ids. */
export function writeSmallTranscripts(projectsDir: string, opts: { project?: string; sessions?: number; inputTokens?: number } = {}): string[] {
  const project = opts.project ?? 'shop';
  const dir = path.join(projectsDir, `-work-${project}`);
  fs.mkdirSync(dir, { recursive: true });
  const ids: string[] = [];
  for (let i = 0; i < (opts.sessions ?? 2); i++) {
    const sessionId = randomUUID();
    ids.push(sessionId);
    const at = (ms: number) => new Date(Date.now() - 60_000 + ms).toISOString();
    const base = { sessionId, cwd: `/work/${project}`, gitBranch: 'main', version: '2.0.0', userType: 'external', isSidechain: false };
    const prompt = randomUUID();
    const lines = [
      { ...base, type: 'user', uuid: prompt, parentUuid: null, timestamp: at(0), message: { role: 'user', content: 'Add a checkout test' } },
      {
        ...base, type: 'assistant', uuid: randomUUID(), parentUuid: prompt, timestamp: at(2000), requestId: `req_${randomUUID()}`,
        message: {
          id: `msg_${randomUUID()}`, role: 'assistant', model: 'claude-sonnet-4-5', type: 'message',
          content: [{ type: 'text', text: 'Done.' }],
          usage: { input_tokens: opts.inputTokens ?? 200_000, output_tokens: 20_000, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
        },
      },
    ];
    fs.writeFileSync(path.join(dir, `${sessionId}.jsonl`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  }
  return ids;
}
