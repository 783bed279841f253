import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpora } from '../test-support/corpora';
import { listJsonl } from '../test-support/fixtures';
import { entriesOf } from '../test-support/fold';
import { rng, syntheticTranscripts } from '../test-support/synthetic-transcript';
import { UsageLedger } from './usage-ledger';
import { usageRecordOf, type UsageRecord } from './usage-record';

/** Every response copy of the files, in reading order (split lines, resumed copies, replays and all). */
function recordsOf(files: { file: string; lines: string[] }[]): UsageRecord[] {
  return entriesOf(files).entries.flatMap(({ entry, key }) => usageRecordOf(entry, key) ?? []);
}

/** The records cut at random into consecutive parts, each read by its own ledger, merged in order. */
function mergedInParts(records: UsageRecord[], parts: number, seed: number): UsageLedger {
  const rand = rng(seed);
  const cuts = [...new Set(Array.from({ length: parts - 1 }, () => Math.floor(rand() * records.length)))].sort((a, b) => a - b);
  const bounds = [0, ...cuts, records.length];
  const merged = new UsageLedger();
  for (let k = 0; k + 1 < bounds.length; k++) {
    const part = new UsageLedger();
    for (const r of records.slice(bounds[k], bounds[k + 1])) part.add(r);
    merged.merge(structuredClone(part.snapshot())); // as it crosses from a reader thread
  }
  return merged;
}

function inOnePass(records: UsageRecord[]): UsageLedger {
  const ledger = new UsageLedger();
  for (const r of records) ledger.add(r);
  return ledger;
}

describe('UsageLedger.merge', () => {
  it('given consecutive parts merged in order, then the same kept copies in the same order as one pass', () => {
    const records = recordsOf(syntheticTranscripts({ seed: 7, sessions: 12, turnsPerSession: 30 }));
    const expected = [...inOnePass(records).records()];
    expect(expected.length).toBeGreaterThan(100);
    expect(expected.length).toBeLessThan(records.length); // the input has copies to dedupe
    for (const [parts, seed] of [[2, 1], [5, 2], [40, 3], [records.length, 4]]) {
      expect([...mergedInParts(records, parts, seed).records()]).toEqual(expected);
    }
  });

  it('given copies that tie on every preference, then the first one read is kept, as in one pass', () => {
    const base: UsageRecord = {
      key: 'msg_1:req_1', entryKey: 'u1', model: 'claude-sonnet-4-5', isSidechain: false, messageId: 'msg_1',
      tokens: { input: 1, output: 2, cacheRead: 0, cacheCreation: 0, cacheCreation5m: 0, cacheCreation1h: 0 }, total: 3,
    };
    const records = [base, { ...base, model: 'claude-opus-4-5' }, { ...base, key: 'msg_2:req_2', messageId: 'msg_2' }, { ...base, model: 'claude-haiku-4-5' }];
    for (let cut = 1; cut < records.length; cut++) {
      const merged = new UsageLedger();
      for (const part of [records.slice(0, cut), records.slice(cut)]) merged.merge(inOnePass(part).snapshot());
      expect([...merged.records()].map((r) => r.model)).toEqual(['claude-sonnet-4-5', 'claude-sonnet-4-5']);
    }
  });

  it('given a sidechain replay in one part and its main-chain message in another, then the replay is left out', () => {
    const main: UsageRecord = {
      key: 'msg_9:req_9', entryKey: 'u9', model: 'claude-sonnet-4-5', isSidechain: false, messageId: 'msg_9',
      tokens: { input: 5, output: 5, cacheRead: 0, cacheCreation: 0, cacheCreation5m: 0, cacheCreation1h: 0 }, total: 10,
    };
    const replay: UsageRecord = { ...main, key: 'u10', entryKey: 'u10', isSidechain: true };
    for (const order of [[replay, main], [main, replay]]) {
      const merged = new UsageLedger();
      for (const r of order) merged.merge(inOnePass([r]).snapshot());
      expect([...merged.records()]).toEqual([main]);
    }
  });

  it.each(corpora().map((c) => [c.name, c] as const))('given the %s transcripts cut into parts, then the same kept copies in the same order as one pass', (_, corpus) => {
    const root = join(corpus.dir, 'claude', 'projects');
    const files = listJsonl(root).map((file) => ({ file, lines: readFileSync(join(root, file), 'utf8').split('\n') }));
    const records = recordsOf(files);
    const expected = [...inOnePass(records).records()];
    expect(expected.length).toBeGreaterThan(0);
    for (const [parts, seed] of [[3, 11], [64, 12]]) expect([...mergedInParts(records, parts, seed).records()]).toEqual(expected);
  });
});
