/* Test-only: random usage rows with deliberate collisions (few keys, sessions, hours). */
import fc from 'fast-check';
import type { UsageMessageRow } from '../messages/upsert-usage-messages';

const BASE = Date.UTC(2026, 2, 28, 20, 0, 0); // spans the EU/US DST weeks and a month end

export const usageRowArbitrary: fc.Arbitrary<UsageMessageRow> = fc
  .record({
    key: fc.integer({ min: 0, max: 11 }),
    // several keys share a message.id (another requestId, or none), as sidechain replays do
    request: fc.constantFrom('a', 'b', null),
    entry: fc.integer({ min: 0, max: 3 }),
    user: fc.constantFrom('ann', 'bob'),
    session: fc.constantFrom('s-a', 's-b', 's-c'),
    project: fc.constantFrom('/w/one', '/w/two', null),
    model: fc.constantFrom('claude-sonnet-4', 'claude-opus-4'),
    // minutes over ~9 days, so hours, days, weeks and a month boundary all collide
    minute: fc.option(fc.integer({ min: 0, max: 13_000 }), { freq: 12 }),
    sidechain: fc.boolean(),
    input: fc.integer({ min: 0, max: 50 }),
    output: fc.integer({ min: 0, max: 2_000 }),
    cacheRead: fc.integer({ min: 0, max: 5_000 }),
    c5: fc.integer({ min: 0, max: 300 }),
    c1: fc.integer({ min: 0, max: 300 }),
    micro: fc.integer({ min: 0, max: 5_000_000 }),
  })
  .map((r) => ({
    messageKey: r.request === null ? `e-${r.key}-${r.entry}` : `msg_${r.key}:req_${r.request}`,
    messageId: `msg_${r.key}`,
    entryKey: `e-${r.key}-${r.entry}`,
    userName: r.user,
    sessionId: r.session,
    project: r.project,
    model: r.model,
    ts: r.minute === null ? null : new Date(BASE + r.minute * 60_000 + r.key * 7),
    isSidechain: r.sidechain,
    inputTokens: r.input,
    outputTokens: r.output,
    cacheReadTokens: r.cacheRead,
    cacheCreationTokens: r.c5 + r.c1,
    cacheCreation5mTokens: r.c5,
    cacheCreation1hTokens: r.c1,
    costUsd: r.micro / 1e6,
    unpriced: false,
    streamSeq: 1,
  }));

/** Batches of rows; every row also gets its stream position. */
export const usageBatchesArbitrary = fc
  .array(fc.array(usageRowArbitrary, { minLength: 1, maxLength: 25 }), { minLength: 1, maxLength: 6 })
  .map((batches) => {
    let seq = 0;
    return batches.map((b) => b.map((r) => ({ ...r, streamSeq: ++seq })));
  });
