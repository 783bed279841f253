/**
 * Transcript files changing under the tailer: appended in partial writes (a line in pieces),
 * truncated and rewritten, rotated (renamed away, a new file in its place), deleted and
 * re-created — on many files at once. Every line ever written must be counted exactly once:
 * the projection equals a reference ingest of the same lines written in one go.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startIngestor, testConfig, type RunningIngestor } from '../../apps/ingestor/src/test-support/ingest-harness';
import { syntheticTranscripts, type SyntheticFile } from '../../libs/domain/src/test-support/synthetic-transcript';
import { compareDumps, reportOutcome } from './support/fault-report';
import { FULL } from './support/fault-scale';
import { HOST, SHARED_NATS, USER, deleteNatsNames, rand, runNames, streamLineIds, streamState } from './support/pipeline';
import { until } from '../support/until';
import { aggregateAndDump, referenceRun, type Reference } from './support/reference-run';
import { tempRoot, writeFiles } from './support/workload';

jest.setTimeout(FULL ? 1_800_000 : 150_000);

type Op = 'partial' | 'truncate' | 'rotate' | 'recreate';
const OPS: Op[] = ['partial', 'truncate', 'rotate', 'recreate'];

/** Lines with a uuid only: their stream id is independent of file and offset, so a line read again anywhere is the same entry. */
function keyedFiles(seed: number, sessions: number, turns: number): SyntheticFile[] {
  return syntheticTranscripts({ seed, sessions, turnsPerSession: turns })
    .filter((f) => !f.file.includes('/subagents/'))
    .map((f) => ({
      file: f.file,
      lines: f.lines.filter((l) => {
        try {
          return typeof JSON.parse(l).uuid === 'string';
        } catch {
          return false;
        }
      }),
    }))
    .filter((f) => f.lines.length >= 8);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('transcript files truncated, rotated, deleted and written in pieces while tailed', () => {
  const roots: string[] = [];
  let ref: Reference | undefined;
  let run: RunningIngestor | undefined;
  const names = runNames('churn');

  afterAll(async () => {
    await run?.stop().catch(() => undefined);
    await ref?.dispose();
    await deleteNatsNames(SHARED_NATS, names);
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });

  it('given every kind of file churn on many files at once, then every line is counted exactly once', async () => {
    const files = keyedFiles(3030, FULL ? 40 : 12, FULL ? 60 : 16);
    // The same lines, each file's lines written in one go: the reference.
    const refRoot = tempRoot();
    roots.push(refRoot);
    writeFiles(refRoot, files);
    ref = await referenceRun(refRoot);
    const distinct = new Set(files.flatMap((f) => f.lines.map((l) => JSON.parse(l).uuid as string))).size;

    const root = tempRoot();
    roots.push(root);
    const written = files.map(() => 0);
    const pathOf = (f: SyntheticFile) => path.join(root, 'projects', f.file);
    const append = (i: number, n: number) => {
      const f = files[i];
      const chunk = f.lines.slice(written[i], written[i] + n);
      fs.mkdirSync(path.dirname(pathOf(f)), { recursive: true });
      fs.appendFileSync(pathOf(f), chunk.map((l) => `${l}\n`).join(''));
      written[i] += chunk.length;
    };
    /** One line in 2–4 pieces with pauses longer than the poll interval, so the tailer sees the halves. */
    const appendInPieces = async (i: number) => {
      const f = files[i];
      if (written[i] >= f.lines.length) return;
      const bytes = Buffer.from(`${f.lines[written[i]]}\n`);
      const cuts = [...new Set(Array.from({ length: rand(1, 3) }, () => rand(1, bytes.length - 1)))].sort((a, b) => a - b);
      let from = 0;
      for (const cut of [...cuts, bytes.length]) {
        fs.appendFileSync(pathOf(f), bytes.subarray(from, cut));
        from = cut;
        await sleep(rand(120, 300));
      }
      written[i]++;
    };
    // Distinct lines: a run cut again after a reset may carry a line twice; the aggregator's keys drop the copy.
    const streamed = async () => new Set(await streamLineIds(SHARED_NATS, names.stream)).size;
    const writtenIds = () => new Set(files.flatMap((f, i) => f.lines.slice(0, written[i]).map((l) => JSON.parse(l).uuid as string))).size;
    const caughtUp = () => until('the stream to hold every line written so far', async () => (await streamed()) >= writtenIds(), 60_000);

    // A first third is there before the tailer starts (backfill), the rest arrives while it follows.
    files.forEach((f, i) => append(i, Math.ceil(f.lines.length / 3)));
    run = await startIngestor(
      testConfig(root, { CCPULSE_USER: USER, CCPULSE_HOST: HOST, CCPULSE_STREAM: names.stream, CCPULSE_OFFSETS_BUCKET: names.bucket, CCPULSE_SUBJECT_PREFIX: names.prefix, INGEST_POLL_MS: '100' }),
    );
    await run.ingestor.backfill();
    run.ingestor.follow();

    const counts: Record<Op, number> = { partial: 0, truncate: 0, rotate: 0, recreate: 0 };
    let recoverMs = 0;
    for (let round = 0; round < 3; round++) {
      // Partial writes on every file at once, then whole lines.
      await Promise.all(files.map(async (_, i) => {
        for (let k = 0; k < 2; k++) await appendInPieces(i);
        counts.partial += 2;
      }));
      files.forEach((f, i) => append(i, Math.ceil((f.lines.length - written[i]) / (4 - round))));
      // Nothing can read lines that are destroyed before it sees them, so destroy only what was read.
      await caughtUp();
      const at = Date.now();
      files.forEach((f, i) => {
        const op = OPS[(i + round) % OPS.length];
        const p = pathOf(f);
        if (op === 'truncate') {
          fs.truncateSync(p, 0);
          append(i, rand(1, 3));
        } else if (op === 'rotate') {
          fs.renameSync(p, `${p}.${round + 1}`);
          append(i, rand(1, 3));
        } else if (op === 'recreate') {
          fs.rmSync(p);
          append(i, rand(1, 3));
        } else return;
        counts[op]++;
      });
      await caughtUp();
      recoverMs = Math.max(recoverMs, Date.now() - at);
    }
    files.forEach((f, i) => append(i, f.lines.length - written[i]));
    await caughtUp();
    // A partial last line that is never finished is not published (checked by the count below).
    const last = files[0];
    fs.appendFileSync(pathOf(last), '{"type":"user","uuid":"never-finished');
    await sleep(500);
    await run.stop();
    run = undefined;

    const state = await streamState(SHARED_NATS, names.stream);
    const dump = await aggregateAndDump(SHARED_NATS, names, state.lastSeq);
    const diff = compareDumps(ref.dump, dump);
    const ops = counts.partial + counts.truncate + counts.rotate + counts.recreate;
    reportOutcome({
      scenario: 'files truncated/rotated/recreated/partial',
      runs: ops,
      lost: diff.lost,
      doubleCounted: diff.extra,
      recoverMs,
      note: `${distinct} lines in ${files.length} files; partial ${counts.partial}, truncate ${counts.truncate}, rotate ${counts.rotate}, recreate ${counts.recreate}`,
    });
    const ids = await streamLineIds(SHARED_NATS, names.stream);
    expect(new Set(ids).size).toBe(distinct);
    expect(ids).not.toContain('never-finished');
    expect(diff.tables).toEqual([]);
  });
});
