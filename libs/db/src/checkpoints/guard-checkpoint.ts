import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { readCheckpoint } from './checkpoints';

/**
 * The stored checkpoint moved while this runner was not looking: another aggregator wrote the
 * same projection. The batch is rolled back and re-planned from the stored checkpoint.
 */
export class CheckpointMovedError extends Error {
  readonly code = 'AGGREGATOR_CHECKPOINT_MOVED';
  constructor(
    readonly consumer: string,
    readonly expected: number,
    readonly stored: number,
  ) {
    super(`checkpoint of ${consumer} is ${stored}, expected ${expected}: another aggregator wrote this projection`);
    this.name = 'CheckpointMovedError';
  }
}

/**
 * Locks the consumer's checkpoint for the transaction and checks it is where this runner left
 * it, so two writers of one projection serialise and the stale one re-plans.
 */
export async function guardCheckpoint(trx: Kysely<Database>, consumer: string, expected: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${'ccpulse-checkpoint:' + consumer}))`.execute(trx);
  const stored = Number((await readCheckpoint(trx, consumer))?.lastSeq ?? 0);
  if (stored !== expected) throw new CheckpointMovedError(consumer, expected, stored);
}
