/**
 * The real `ccpulse ingest` on the accounts we hand out: a developer's restricted account from
 * team.example.conf, and the compose stack's local `ingestor` user from nats-server.conf. Each
 * is enough to backfill a transcript with acks and checkpoints, using only the credential
 * environment names the ingestor documents.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { ENTRIES_STREAM, OFFSETS_BUCKET } from '@ccpulse/domain';
import { NATS_TEST_PASSWORDS, natsServerAvailable, startNatsServer, type RunningNats } from './support/nats-server.process';
import { repoPath } from './support/repo-paths';
import { lineIds } from '../../apps/ingestor/src/test-support/ingest-harness';

const hasIngestor = fs.existsSync(repoPath('apps/ingestor/src/main.ts'));
if (!natsServerAvailable() || !hasIngestor) console.warn('nats-server or apps/ingestor/src/main.ts missing: skipping the ingestor credentials test');
const maybe = natsServerAvailable() && hasIngestor ? describe : describe.skip;

function transcript(sessionId: string): string {
  const line = (i: number) =>
    JSON.stringify({
      type: 'assistant', uuid: `00000000-0000-4000-8000-00000000000${i}`, sessionId, timestamp: `2026-11-20T10:00:0${i}.000Z`,
      cwd: '/home/dev/demo', message: { id: `msg_${i}`, model: 'claude-sonnet-4-5', role: 'assistant', content: [{ type: 'text', text: 'secret words' }],
        usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } },
      requestId: `req_${i}`,
    });
  return `${line(1)}\n${line(2)}\n`;
}

const cases = [
  { config: 'team.example.conf', natsUser: 'alice', pass: NATS_TEST_PASSWORDS.NATS_PASSWORD_ALICE, ccpulseUser: 'alice' },
  { config: 'nats-server.conf', natsUser: 'ingestor', pass: NATS_TEST_PASSWORDS.NATS_INGESTOR_PASSWORD, ccpulseUser: 'carol' },
];

maybe.each(cases)('ccpulse ingest on $config as NATS user $natsUser', ({ config, natsUser, pass, ccpulseUser }) => {
  let server: RunningNats;
  let dir: string;
  const session = '11111111-2222-4333-8444-555555555555';

  beforeAll(async () => {
    server = await startNatsServer(repoPath('ops/nats', config), NATS_TEST_PASSWORDS);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-cred-'));
    fs.mkdirSync(path.join(dir, 'projects', '-work-demo'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'projects', '-work-demo', `${session}.jsonl`), transcript(session));
    // The central aggregator creates the stream before ingestors connect.
    const agg = await connect({ servers: server.url, user: 'aggregator', pass: NATS_TEST_PASSWORDS.NATS_AGGREGATOR_PASSWORD });
    await (await jetstreamManager(agg)).streams.add({ name: ENTRIES_STREAM, subjects: ['ccpulse.entries.>'], duplicate_window: 3_600_000_000_000 });
    await agg.close();
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('given its credentials, when it backfills once, then the entries are in the stream under the user\'s name and checkpointed', async () => {
    const child = spawn(process.execPath, [repoPath('tests/stack/support/run-source.js'), 'ingest', '--once'], {
      env: {
        PATH: process.env.PATH ?? '', HOME: dir,
        NATS_URL: server.url, NATS_USER: natsUser, NATS_PASSWORD: pass,
        CCPULSE_USER: ccpulseUser, CCPULSE_HOST: `${ccpulseUser}-laptop`, CLAUDE_CONFIG_DIR: dir, INGEST_METRICS_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => child.kill('SIGKILL'), 45_000);
      child.on('exit', (c) => (clearTimeout(t), resolve(c)));
    });
    expect({ code, out: code === 0 ? '' : out }).toEqual({ code: 0, out: '' });
    expect(out).not.toMatch(/Permissions Violation/);

    const agg = await connect({ servers: server.url, user: 'aggregator', pass: NATS_TEST_PASSWORDS.NATS_AGGREGATOR_PASSWORD });
    const jsm = await jetstreamManager(agg);
    const info = await jsm.streams.info(ENTRIES_STREAM, { subjects_filter: '>' });
    // ...and the checkpoint reached the offsets bucket, so a restart resumes instead of re-reading.
    const kv = await new Kvm(agg).open(OFFSETS_BUCKET);
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    const checkpoint = keys.length === 1 ? (await kv.get(keys[0]))?.json<{ offset: number }>() : undefined;
    const lines = await lineIds(agg, ENTRIES_STREAM);
    await agg.close();
    expect(keys).toEqual([expect.stringMatching(new RegExp(`^${ccpulseUser}-laptop\\.`))]);
    expect(checkpoint?.offset).toBe(fs.statSync(path.join(dir, 'projects', '-work-demo', `${session}.jsonl`)).size);
    expect(lines).toHaveLength(2);
    expect(Object.keys(info.state.subjects ?? {})).toEqual([`ccpulse.entries.${ccpulseUser}.${session}`]);
  }, 60_000);
});
