/**
 * `ccpulse start` with the real apps on the local NATS and PostgreSQL: migrations, then
 * aggregator, api and ingestor; a transcript line becomes GraphQL usage; SIGTERM stops them all
 * cleanly. Everything runs from source (tests/stack/support/run-source.js), on a throwaway
 * database, stream, subject prefix and offsets bucket.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { freePort } from '../support/free-port';
import { repoPath } from './support/repo-paths';
import { until } from '../support/until';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database';

const APPS = ['apps/aggregator/src/main.ts', 'apps/api/src/main.ts', 'apps/ingestor/src/main.ts', 'libs/db/src/cli/migrate.command.ts'];
const missing = APPS.filter((f) => !fs.existsSync(repoPath(f)));
if (missing.length) console.warn(`start-stack: ${missing.join(', ')} not there yet; skipping the real-apps start test`);
const maybe = missing.length ? describe.skip : describe;

const natsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const SESSION = '99999999-2222-4333-8444-555555555555';

function transcriptLine(i: number): string {
  return JSON.stringify({
    type: 'assistant', uuid: `00000000-0000-4000-8000-0000000000a${i}`, sessionId: SESSION, timestamp: `2026-11-20T10:00:0${i}.000Z`,
    cwd: '/home/dev/demo', requestId: `req_start_${i}`,
    message: { id: `msg_start_${i}`, model: 'claude-sonnet-4-5', role: 'assistant', content: [{ type: 'text', text: 'hi' }],
      usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } },
  });
}

maybe('ccpulse start with the real apps', () => {
  const suffix = randomBytes(4).toString('hex');
  let scratch: ScratchDatabase;
  const names = { stream: `CCPULSE_START_${suffix}`, prefix: `ccps${suffix}`, bucket: `ccpulse-offsets-start-${suffix}` };
  let dir: string;

  beforeAll(async () => {
    scratch = await createScratchDatabase('ccpulse_start');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-start-'));
    fs.mkdirSync(path.join(dir, 'projects', '-work-demo'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'projects', '-work-demo', `${SESSION}.jsonl`), `${transcriptLine(1)}\n${transcriptLine(2)}\n`);
  });

  afterAll(async () => {
    await scratch?.drop();
    const nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    for (const s of [names.stream, `KV_${names.bucket}`]) await jsm.streams.delete(s).catch(() => false);
    await nc.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('given a transcript, when started, then its usage reaches GraphQL; when SIGTERMed, then all stop in order and it exits 0', async () => {
    const port = await freePort();
    const runner = repoPath('tests/stack/support/run-source.js');
    const child = spawn(process.execPath, [runner, 'start'], {
      env: {
        PATH: process.env.PATH ?? '', HOME: dir, CCPULSE_BIN: runner,
        NATS_URL: natsUrl, DATABASE_URL: scratch.url, PORT: String(port),
        CCPULSE_STREAM: names.stream, CCPULSE_SUBJECT_PREFIX: names.prefix, CCPULSE_OFFSETS_BUCKET: names.bucket,
        CLAUDE_CONFIG_DIR: dir, CCPULSE_USER: 'alice', CCPULSE_HOST: 'start-test',
        AGGREGATOR_METRICS_PORT: '0', INGEST_METRICS_PORT: '0', CCPULSE_START_GRACE_MS: '20000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Every wait gives up as soon as `ccpulse start` exits, and quotes what it printed.
    const watch = { everyMs: 250, alive: () => child.exitCode === null, explain: () => `output:\n${out}` };
    try {
      await until('api ready', () => /graphql +http:\/\/localhost:\d+\/graphql/.test(out), 90_000, watch);
      expect(out).toMatch(/migrate +\| /);
      expect(out).toMatch(/authentication DISABLED/);

      const query = '{ usage(from: "2026-11-20", to: "2026-11-20", groupBy: [MODEL]) { model inputTokens outputTokens } }';
      let rows: Array<{ model: string; inputTokens: unknown; outputTokens: unknown }> = [];
      await until('usage in GraphQL', async () => {
        const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }),
        }).catch(() => undefined);
        const body = (await res?.json().catch(() => undefined)) as { data?: { usage: typeof rows } } | undefined;
        rows = body?.data?.usage ?? [];
        return rows.length > 0;
      }, 60_000, watch);
      expect(rows.map((r) => [r.model, Number(r.inputTokens), Number(r.outputTokens)])).toEqual([['claude-sonnet-4-5', 20, 10]]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const order = [...out.matchAll(/ccpulse start: stopping (\w+) \(SIGTERM\)/g)].map((m) => m[1]);
    expect(order).toEqual(['ingestor', 'aggregator', 'api']);
    // Each app drains and returns 0 by itself (no re-raised signal, no SIGKILL).
    for (const app of order) expect(out).toMatch(new RegExp(`ccpulse start: ${app} exited with code 0`));
    expect(out).not.toMatch(/sending SIGKILL/);
  }, 180_000);
});
