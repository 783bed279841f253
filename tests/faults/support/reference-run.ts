/**
 * The uninterrupted reference: `ccpulse ingest --once` on the input, then one aggregator to the
 * stream head, then a canonical dump of every projection table. Every faulted run on the same
 * input must end with exactly this dump.
 */
import { loadAggregatorConfig } from '../../../apps/aggregator/src/config/aggregator.config';
import { startTestAggregator, waitForLiveCheckpoint } from '../../../apps/aggregator/src/test-support/aggregator-harness';
import { dumpProjection } from '../../../apps/aggregator/src/test-support/dump-projection';
import { createTestDatabase, type TestDatabase } from '../../../apps/aggregator/src/test-support/test-database';
import { SHARED_NATS, aggregateEnv, deleteNatsNames, ingestEnv, ingestOnce, runNames, streamState, type RunNames } from './pipeline';

export type Dump = Record<string, unknown[]>;

/** The reference dump, plus its stream (kept for scenarios that re-aggregate the same stream). */
export interface Reference {
  dump: Dump;
  names: RunNames;
  head: number;
  rows: number;
  dispose(): Promise<void>;
}

/** Folds an existing stream into a fresh database with an in-process aggregator and dumps it. */
export async function aggregateAndDump(natsUrl: string, names: RunNames, head: number, extra: Record<string, string> = {}): Promise<Dump> {
  const t: TestDatabase = await createTestDatabase({ migrate: false });
  try {
    const a = await startTestAggregator(loadAggregatorConfig(aggregateEnv(natsUrl, t.url, names, extra)));
    try {
      const schema = await waitForLiveCheckpoint(a, head, 300_000);
      return await dumpProjection(t.db, schema);
    } finally {
      await a.close();
    }
  } finally {
    await t.drop();
  }
}

export async function referenceRun(root: string): Promise<Reference> {
  const names = runNames('ref');
  await ingestOnce(root, ingestEnv(SHARED_NATS, names));
  const head = (await streamState(SHARED_NATS, names.stream)).lastSeq;
  const dump = await aggregateAndDump(SHARED_NATS, names, head);
  return {
    dump,
    names,
    head,
    rows: Object.values(dump).reduce((n, rows) => n + rows.length, 0),
    dispose: () => deleteNatsNames(SHARED_NATS, names),
  };
}
