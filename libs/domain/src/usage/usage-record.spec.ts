import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLine } from '../entry/parse-line';
import { toEntry } from '../entry/to-entry';
import { corpora } from '../test-support/corpora';
import { listJsonl } from '../test-support/fixtures';
import { syntheticTranscripts } from '../test-support/synthetic-transcript';
import { mayCarryUsage, usageRecordOf } from './usage-record';

/** How many parsed lines yield a usage record, and that none of them was ruled out by mayCarryUsage. */
function checkLines(lines: string[]): { records: number; ruledOut: number } {
  let records = 0;
  let ruledOut = 0;
  for (const line of lines) {
    const parsed = parseLine(line);
    if (!parsed.ok) continue;
    const record = usageRecordOf(toEntry(parsed.value, { file: 'p/s.jsonl' }), 'k');
    if (!mayCarryUsage(parsed.value)) {
      ruledOut++;
      expect(record).toBeUndefined();
    } else if (record) records++;
  }
  return { records, ruledOut };
}

describe('mayCarryUsage', () => {
  it('given lines that hold usage outside an assistant line, then they are ruled out and yield no record', () => {
    const usage = { input_tokens: 3, output_tokens: 4 };
    const message = { id: 'msg_1', model: 'claude-sonnet-4-5', usage };
    const lines = [
      { type: 'progress', data: { message: { type: 'assistant', message } } },
      { type: 'user', message },
      { type: 'Assistant', message },
      { type: ['assistant'], message },
      { message },
    ].map((o) => JSON.stringify(o));
    expect(checkLines(lines)).toEqual({ records: 0, ruledOut: 5 });
    expect(checkLines([JSON.stringify({ type: 'assistant', message })])).toEqual({ records: 1, ruledOut: 0 });
  });

  it('given synthetic transcripts, then no line it rules out yields a usage record', () => {
    const lines = syntheticTranscripts({ seed: 3, sessions: 8, turnsPerSession: 20 }).flatMap((f) => f.lines);
    const { records, ruledOut } = checkLines(lines);
    expect(records).toBeGreaterThan(50);
    expect(ruledOut).toBeGreaterThan(50);
  });

  it.each(corpora().map((c) => [c.name, c] as const))('given the %s transcripts, then no line it rules out yields a usage record', (_, corpus) => {
    const root = join(corpus.dir, 'claude', 'projects');
    const lines = listJsonl(root).flatMap((f) => readFileSync(join(root, f), 'utf8').split('\n'));
    const { records, ruledOut } = checkLines(lines);
    expect(records).toBeGreaterThan(100);
    expect(ruledOut).toBeGreaterThan(100);
  });
});
