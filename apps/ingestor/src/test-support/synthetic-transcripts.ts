import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { line } from './ingest-harness';

/** Writes `files` transcripts of `lines` lines each under `<root>/projects/p<i>/`; returns every line's uuid. */
export function writeSyntheticTranscripts(dir: string, files: number, lines: number): string[] {
  const ids: string[] = [];
  for (let f = 0; f < files; f++) {
    const project = join(dir, 'projects', `p${f % 4}`);
    mkdirSync(project, { recursive: true });
    const session = `s${f}`;
    const parts: string[] = [];
    for (let i = 0; i < lines; i++) {
      const uuid = `u${f}-${i}`;
      parts.push(line(session, uuid, { type: 'assistant', message: { id: `m${f}-${i}`, model: 'claude-sonnet-4', usage: { input_tokens: i, output_tokens: 1 }, content: [{ type: 'text', text: 'x'.repeat(200) }] } }));
      ids.push(uuid);
    }
    writeFileSync(join(project, `${session}.jsonl`), parts.join(''));
  }
  return ids;
}
