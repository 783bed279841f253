/**
 * ops/nats, statically: every user has a password from the environment, developers may publish
 * only under their own name, and the services' permissions use the names the domain defines.
 * (nats-permissions.int.spec.ts proves the same on a real nats-server.)
 */
import { ENTRIES_STREAM, OFFSETS_BUCKET, entrySubject, heartbeatSubject } from '@ccpulse/domain';
import { parseNatsConf, type ConfMap, type ConfValue } from './support/nats-conf.parse';
import { repoPath } from './support/repo-paths';

interface User {
  user: string;
  password: ConfValue;
  permissions: { publish: { allow: string[] }; subscribe: { allow: string[] }; allow_responses?: boolean };
}

const users = (file: string): User[] =>
  ((parseNatsConf(repoPath('ops/nats', file)).authorization as ConfMap).users as unknown as User[]);
const SERVICES = ['aggregator', 'api', 'ingestor'];

describe.each(['nats-server.conf', 'team.example.conf'])('ops/nats/%s', (file) => {
  const conf = parseNatsConf(repoPath('ops/nats', file));

  it('enables JetStream on the container volume and monitoring for the healthcheck', () => {
    expect(conf.jetstream).toEqual({ store_dir: '/data' });
    expect(conf.http_port).toBe(8222);
    expect(conf.port).toBe(4222);
  });

  it('has the service users, each with a password from the environment', () => {
    const list = users(file);
    expect(list.map((u) => u.user)).toEqual(expect.arrayContaining(SERVICES));
    for (const u of list) expect({ user: u.user, password: u.password }).toEqual({ user: u.user, password: { env: expect.stringMatching(/^NATS_[A-Z_]*PASSWORD[A-Z_]*$/) } });
  });

  it('lets only the aggregator touch the stream API broadly, ack, and announce changes and budget alerts', () => {
    const byName = new Map(users(file).map((u) => [u.user, u.permissions]));
    const agg = byName.get('aggregator')!;
    expect(agg.publish.allow).toEqual(expect.arrayContaining(['$JS.API.>', `$JS.ACK.${ENTRIES_STREAM}.>`, 'ccpulse.updated.>', 'ccpulse.budgets.alert']));
    expect(agg.subscribe.allow).toEqual(expect.arrayContaining(['_INBOX.>', 'ccpulse.heartbeat.*', 'ccpulse.ops.>', 'ccpulse.budgets.changed']));
    expect(agg.allow_responses).toBe(true);
    const api = byName.get('api')!;
    expect(api.subscribe.allow.sort()).toEqual(['_INBOX.>', 'ccpulse.budgets.alert', 'ccpulse.updated.>']);
    expect(api.publish.allow.filter((s) => s.startsWith('ccpulse.'))).toEqual(['ccpulse.ops.>', 'ccpulse.budgets.changed']);
    expect(api.publish.allow.some((s) => /^\$JS\.API\.(>|STREAM\.(CREATE|DELETE|UPDATE|PURGE))/.test(s))).toBe(false);
    for (const [name, p] of byName) {
      if (name !== 'aggregator') expect({ name, js: p.publish.allow.includes('$JS.API.>') }).toEqual({ name, js: false });
    }
  });
});

describe('ops/nats/team.example.conf developers', () => {
  const developers = users('team.example.conf').filter((u) => !SERVICES.includes(u.user));

  it('has at least two example developers', () => {
    expect(developers.map((d) => d.user)).toEqual(['alice', 'bob']);
  });

  it.each(['alice', 'bob'])('%s publishes entries and heartbeats under her/his own name only', (name) => {
    const p = developers.find((d) => d.user === name)!.permissions;
    const own = p.publish.allow.filter((s) => s.startsWith('ccpulse.'));
    expect(own.sort()).toEqual([heartbeatSubject(name), `${entrySubject(name, 'x').replace(/\.x$/, '')}.>`].sort());
    expect(p.subscribe.allow).toEqual(['_INBOX.>']);
    expect(p.allow_responses).toBeUndefined();
  });

  it.each(['alice', 'bob'])('%s reaches the JetStream API only for stream info and the offsets bucket', (name) => {
    const js = developers.find((d) => d.user === name)!.permissions.publish.allow.filter((s) => s.startsWith('$'));
    for (const s of js) {
      expect(s).toMatch(new RegExp(`^(\\$JS\\.API\\.INFO|\\$JS\\.API\\.STREAM\\.INFO\\.${ENTRIES_STREAM}|.*KV_${OFFSETS_BUCKET}.*|\\$KV\\.${OFFSETS_BUCKET}\\.>)$`));
    }
    expect(js).not.toContain('$JS.API.>');
  });
});
