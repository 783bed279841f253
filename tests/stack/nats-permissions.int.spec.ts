/**
 * The NATS configs in ops/nats/ on the real nats-server: they parse (`-t`), secrets come from the
 * environment, and the permissions do what the docs promise — a developer publishes entries and
 * heartbeats under their own name only and keeps checkpoints in the offsets bucket; the
 * aggregator owns the stream; the api only listens and asks.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { ENTRIES_STREAM, OFFSETS_BUCKET, entrySubject, heartbeatSubject } from '@ccpulse/domain';
import { NATS_TEST_PASSWORDS, checkConfig, natsServerAvailable, startNatsServer, type RunningNats } from './support/nats-server.process';
import { repoPath } from './support/repo-paths';

const available = natsServerAvailable();
if (!available) console.warn('nats-server not found (NATS_SERVER_BIN, the PATH or the usual install places): skipping the NATS config tests');
const maybe = available ? describe : describe.skip;

maybe('ops/nats configs on the real nats-server', () => {
  it.each(['nats-server.conf', 'team.example.conf'])('given %s and its passwords in the environment, when tested with -t, then it is valid', (file) => {
    const r = checkConfig(repoPath('ops/nats', file), NATS_TEST_PASSWORDS);
    expect(r.output).toMatch(/is valid/);
    expect(r.ok).toBe(true);
  });

  it('given a missing password variable, when tested, then the server refuses and names it', () => {
    const { NATS_API_PASSWORD: _, ...rest } = NATS_TEST_PASSWORDS;
    const r = checkConfig(repoPath('ops/nats', 'nats-server.conf'), rest);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/NATS_API_PASSWORD/);
  });
});

maybe('team.example.conf permissions', () => {
  let server: RunningNats;
  const open: NatsConnection[] = [];
  const violations: string[] = [];

  async function as(user: string, pass: string): Promise<NatsConnection> {
    const nc = await connect({ servers: server.url, user, pass, name: `perm-test-${user}` });
    open.push(nc);
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'error') violations.push(`${user}: ${s.error.message}`);
      }
    })();
    return nc;
  }

  const waitForViolation = async (pattern: RegExp): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!violations.some((v) => pattern.test(v))) {
      if (Date.now() > deadline) throw new Error(`no violation matching ${pattern}; saw: ${violations.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeAll(async () => {
    server = await startNatsServer(repoPath('ops/nats', 'team.example.conf'), NATS_TEST_PASSWORDS);
  });
  afterAll(async () => {
    await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
    await server?.stop();
  });

  it('given a wrong password, when connecting, then the server refuses', async () => {
    await expect(connect({ servers: server.url, user: 'alice', pass: 'nope', reconnect: false })).rejects.toThrow(/Authorization/i);
  });

  it('given the aggregator, when it creates the stream and a developer publishes, then only their own subjects get in', async () => {
    const agg = await as('aggregator', NATS_TEST_PASSWORDS.NATS_AGGREGATOR_PASSWORD);
    const aggJsm = await jetstreamManager(agg);
    await aggJsm.streams.add({ name: ENTRIES_STREAM, subjects: ['ccpulse.entries.>'], duplicate_window: 60_000_000_000 });

    const alice = await as('alice', NATS_TEST_PASSWORDS.NATS_PASSWORD_ALICE);
    const js = jetstream(alice);
    const jsm = await jetstreamManager(alice);
    expect((await jsm.streams.info(ENTRIES_STREAM)).config.name).toBe(ENTRIES_STREAM);

    const ack = await js.publish(entrySubject('alice', 's-1'), JSON.stringify({ v: 1 }), { msgID: 'alice:s-1:u-1' });
    expect(ack.stream).toBe(ENTRIES_STREAM);
    expect(ack.duplicate).toBe(false);
    const again = await js.publish(entrySubject('alice', 's-1'), JSON.stringify({ v: 1 }), { msgID: 'alice:s-1:u-1' });
    expect(again.duplicate).toBe(true);

    // Not under someone else's name: the server drops it, so no PubAck ever comes.
    await expect(js.publish(entrySubject('bob', 's-1'), 'x', { msgID: 'forged', timeout: 500 })).rejects.toThrow();
    await waitForViolation(/alice: .*Permissions Violation for Publish to "ccpulse\.entries\.bob\.s-1"/);

    const state = (await aggJsm.streams.info(ENTRIES_STREAM)).state;
    expect(state.messages).toBe(1);
  });

  it('given a developer, when they heartbeat and keep checkpoints, then both work, under their name only', async () => {
    const agg = await as('aggregator', NATS_TEST_PASSWORDS.NATS_AGGREGATOR_PASSWORD);
    const beats = agg.subscribe('ccpulse.heartbeat.*');
    await agg.flush();
    const alice = await as('alice', NATS_TEST_PASSWORDS.NATS_PASSWORD_ALICE);
    alice.publish(heartbeatSubject('alice'), '{"v":1}');
    alice.publish(heartbeatSubject('bob'), '{"v":1}');
    await alice.flush();
    const got = await (async () => {
      for await (const m of beats) return m.subject;
    })();
    expect(got).toBe('ccpulse.heartbeat.alice');
    await waitForViolation(/alice: .*Publish to "ccpulse\.heartbeat\.bob"/);

    // The bucket is created by whichever ingestor comes first, then read and written.
    const kv = await new Kvm(alice).create(OFFSETS_BUCKET, { history: 1 });
    await kv.put('laptop.abc', JSON.stringify({ v: 1, offset: 42 }));
    expect((await kv.get('laptop.abc'))?.json<{ offset: number }>().offset).toBe(42);
    const bobKv = await new Kvm(await as('bob', NATS_TEST_PASSWORDS.NATS_PASSWORD_BOB)).open(OFFSETS_BUCKET);
    expect(await bobKv.get('desk.def')).toBeNull();
  });

  it('given a developer, when they try to read or delete the stream, then the server refuses', async () => {
    const bob = await as('bob', NATS_TEST_PASSWORDS.NATS_PASSWORD_BOB);
    bob.subscribe('ccpulse.entries.>');
    await bob.flush().catch(() => undefined);
    await waitForViolation(/bob: .*Permissions Violation for Subscription to "ccpulse\.entries\.>"/);

    const jsm = await jetstreamManager(bob);
    await expect(jsm.streams.delete(ENTRIES_STREAM)).rejects.toThrow();
    await expect(jsm.consumers.add(ENTRIES_STREAM, { durable_name: 'sneaky', ack_policy: AckPolicy.Explicit })).rejects.toThrow();
    await waitForViolation(/bob: .*Publish to "\$JS\.API\.STREAM\.DELETE\.CCPULSE_ENTRIES"/);
  });

  it('given the aggregator, when it consumes, acks and announces, then the api hears the notice and can ask the aggregator', async () => {
    const agg = await as('aggregator', NATS_TEST_PASSWORDS.NATS_AGGREGATOR_PASSWORD);
    const jsm = await jetstreamManager(agg);
    await jsm.consumers.add(ENTRIES_STREAM, { durable_name: 'aggregator-v1', ack_policy: AckPolicy.Explicit });
    const consumer = await jetstream(agg).consumers.get(ENTRIES_STREAM, 'aggregator-v1');
    const m = await consumer.next({ expires: 2000 });
    expect(m?.subject).toBe('ccpulse.entries.alice.s-1');
    expect(await m!.ackAck()).toBe(true);

    const api = await as('api', NATS_TEST_PASSWORDS.NATS_API_PASSWORD);
    const notices = api.subscribe('ccpulse.updated.>', { max: 1 });
    const ops = agg.subscribe('ccpulse.ops.>', { queue: 'ccpulse-aggregator-ops' });
    void (async () => {
      for await (const req of ops) req.respond(JSON.stringify({ lag: 0 }));
    })();
    await Promise.all([api.flush(), agg.flush()]);

    agg.publish('ccpulse.updated.alice.s-1', JSON.stringify({ v: 1, seq: 1 }));
    for await (const n of notices) expect(n.subject).toBe('ccpulse.updated.alice.s-1');
    const reply = await api.request('ccpulse.ops.status', '{}', { timeout: 2000 });
    expect(reply.json()).toEqual({ lag: 0 });

    // ...but the api cannot write into the stream or fake a notice.
    api.publish('ccpulse.entries.alice.s-9', 'x');
    api.publish('ccpulse.updated.alice.s-9', 'x');
    await api.flush();
    await waitForViolation(/api: .*Publish to "ccpulse\.entries\.alice\.s-9"/);
    await waitForViolation(/api: .*Publish to "ccpulse\.updated\.alice\.s-9"/);
  });

  it('given budgets, then the aggregator announces alerts to the api, the api signals changes to it, and nobody else can forge either', async () => {
    const agg = await as('aggregator', NATS_TEST_PASSWORDS.NATS_AGGREGATOR_PASSWORD);
    const api = await as('api', NATS_TEST_PASSWORDS.NATS_API_PASSWORD);
    const alerts = api.subscribe('ccpulse.budgets.alert', { max: 1 });
    const changes = agg.subscribe('ccpulse.budgets.changed', { max: 1 });
    await Promise.all([api.flush(), agg.flush()]);
    agg.publish('ccpulse.budgets.alert', '{"id":1}');
    api.publish('ccpulse.budgets.changed', '{}');
    for await (const m of alerts) expect(m.subject).toBe('ccpulse.budgets.alert');
    for await (const m of changes) expect(m.subject).toBe('ccpulse.budgets.changed');

    // A developer's credentials can neither fake an alert nor trigger evaluations.
    const dev = await as('alice', NATS_TEST_PASSWORDS.NATS_PASSWORD_ALICE);
    dev.publish('ccpulse.budgets.alert', '{}');
    dev.publish('ccpulse.budgets.changed', '{}');
    await dev.flush();
    await waitForViolation(/alice: .*Publish to "ccpulse\.budgets\.alert"/);
    await waitForViolation(/alice: .*Publish to "ccpulse\.budgets\.changed"/);
  });
});
