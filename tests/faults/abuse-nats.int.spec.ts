/**
 * Abuse over NATS: a developer account limited to its own subjects (ops/nats/team.example.conf on
 * a suite-started server) cannot publish entries or heartbeats as another user, and what it did
 * publish is counted under its own name only.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ENTRIES_STREAM, entrySubject, heartbeatSubject, toEntry } from '@ccpulse/domain';
import { startTestAggregator, testConfig, waitForLiveCheckpoint } from '../../apps/aggregator/src/test-support/aggregator-harness';
import { createTestDatabase } from '../../apps/aggregator/src/test-support/test-database';
import { createTestStream } from '../../apps/aggregator/src/test-support/test-stream';
import { NATS_TEST_PASSWORDS, natsServerAvailable, startNatsServer, type RunningNats } from '../stack/support/nats-server.process';
import { repoPath } from '../stack/support/repo-paths';
import { reportOutcome } from './support/fault-report';

const available = natsServerAvailable();
if (!available) console.warn('nats-server binary not found (NATS_SERVER_BIN, the PATH or the usual install places): skipping the NATS abuse scenarios');
const maybe = available ? describe : describe.skip;

maybe('a developer account publishing as someone else', () => {
  let server: RunningNats;
  const open: NatsConnection[] = [];

  beforeAll(async () => {
    server = await startNatsServer(repoPath('ops/nats', 'team.example.conf'), NATS_TEST_PASSWORDS);
  });
  afterAll(async () => {
    await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
    await server?.stop();
  });

  it('given alice on the team config, when she publishes entries and heartbeats under bob, then every forged publish is refused and none is stored', async () => {
    const agg = await connect({ servers: server.url, user: 'aggregator', pass: NATS_TEST_PASSWORDS.NATS_AGGREGATOR_PASSWORD });
    open.push(agg);
    const aggJsm = await jetstreamManager(agg);
    await aggJsm.streams.add({ name: ENTRIES_STREAM, subjects: ['ccpulse.entries.>'], duplicate_window: 60_000_000_000 });
    const beats = agg.subscribe('ccpulse.heartbeat.>');
    const heard: string[] = [];
    void (async () => {
      for await (const m of beats) heard.push(m.subject);
    })();
    await agg.flush();

    const alice = await connect({ servers: server.url, user: 'alice', pass: NATS_TEST_PASSWORDS.NATS_PASSWORD_ALICE });
    open.push(alice);
    const violations: string[] = [];
    void (async () => {
      for await (const s of alice.status()) if (s.type === 'error') violations.push(s.error.message);
    })();
    const js = jetstream(alice);
    const started = Date.now();
    const forged = ['bob', 'root', 'aggregator'];
    let refused = 0;
    let accepted = 0;
    for (const victim of forged) {
      for (let i = 0; i < 5; i++) {
        const subject = entrySubject(victim, `s-${i}`);
        const ok = await js.publish(subject, JSON.stringify({ v: 1, user: victim, host: 'h', file: 'x.jsonl', offset: i }), { msgID: `${victim}:s-${i}:forged`, timeout: 400 }).then(
          () => true,
          () => false,
        );
        if (ok) accepted++;
        else refused++;
      }
      alice.publish(heartbeatSubject(victim), '{"v":1}');
    }
    // Wildcards in the subject are refused by the client or the server, never stored.
    for (const wild of ['ccpulse.entries.>', 'ccpulse.entries.*.s-1']) {
      const ok = await js.publish(wild, '{}', { timeout: 400 }).then(() => true, () => false);
      if (ok) accepted++;
      else refused++;
    }
    // Her own subject works.
    const own = await js.publish(entrySubject('alice', 's-own'), '{"v":1}', { msgID: 'alice:s-own:1' });
    alice.publish(heartbeatSubject('alice'), '{"v":1}');
    await alice.flush();
    const deadline = Date.now() + 3000;
    while (!heard.includes('ccpulse.heartbeat.alice') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    const state = (await aggJsm.streams.info(ENTRIES_STREAM)).state;
    reportOutcome({
      scenario: 'nats: publish as another user',
      runs: refused + accepted,
      lost: 0,
      doubleCounted: accepted + heard.filter((s) => s !== 'ccpulse.heartbeat.alice').length,
      recoverMs: 0,
      note: `${refused} forged publishes refused, ${violations.length} permission violations reported in ${Date.now() - started} ms`,
    });
    expect(own.seq).toBe(1);
    expect(accepted).toBe(0);
    expect(state.messages).toBe(1);
    expect(heard).toEqual(['ccpulse.heartbeat.alice']);
    expect(violations.some((v) => /Permissions Violation for Publish to "ccpulse\.entries\.bob\./.test(v))).toBe(true);
  });
});

describe('an envelope that names another user than its subject', () => {
  // NATS permissions enforce only the subject's user token; the aggregator refuses a body that
  // names anyone else (reason user_mismatch), so alice cannot write usage counted as bob's.
  it('given alice publishes on her own subject an envelope claiming user bob, then nothing is counted as bob', async () => {
    const s = await createTestStream();
    const t = await createTestDatabase({ migrate: false });
    try {
      const entry = toEntry(
        { type: 'assistant', uuid: 'spoof-1', sessionId: 'spoof-s', timestamp: '2026-01-01T00:00:00Z', requestId: 'r1', message: { id: 'm1', model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 1000, output_tokens: 1000 } } },
        { file: 'p/spoof-s.jsonl' },
      );
      const data = Buffer.from(JSON.stringify({ v: 1, user: 'bob', host: 'h', file: 'p/spoof-s.jsonl', offset: 0, entry }));
      const head = await s.publish([{ subject: entrySubject('alice', 'spoof-s', s.prefix), msgId: 'alice:spoof-s:spoof-1', data }]);
      const a = await startTestAggregator(testConfig(t, s));
      try {
        const schema = await waitForLiveCheckpoint(a, head);
        const bobs = await t.db.withSchema(schema).selectFrom('usage_messages').select('user_name').where('user_name', '=', 'bob').execute();
        expect(bobs).toEqual([]);
      } finally {
        await a.close();
      }
    } finally {
      await t.drop();
      await s.drop();
    }
  });
});
