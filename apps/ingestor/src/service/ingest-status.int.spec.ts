/**
 * `ccpulse ingest status` against real NATS: it finds each transcript's checkpoint by the path's
 * key, as start-up does, so its "behind" figure holds under INGEST_REDACT=paths too, where no
 * checkpoint names its file.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { deleteNames, line, startIngestor, tempDir, testConfig } from '../test-support/ingest-harness';
import { runServiceCommand } from './service.command';

jest.setTimeout(30_000);

async function status(env: Record<string, string>): Promise<string> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let out = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  try {
    expect(await runServiceCommand(['status'])).toBe(0);
  } finally {
    write.mockRestore();
    process.env = saved;
  }
  return out;
}

describe('ccpulse ingest status', () => {
  it.each([['plain', {}], ['INGEST_REDACT=paths', { INGEST_REDACT: 'paths', INGEST_REDACT_SALT: 'a-team-wide-salt-0123' }]])(
    'given %s checkpoints and a line appended since, counts one tracked file and that line as behind',
    async (_, redact: Record<string, string>) => {
      const tmp = tempDir();
      const dir = join(tmp.dir, 'projects', 'p1');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 's1.jsonl');
      writeFileSync(file, line('s1', 'a') + line('s1', 'b'));
      const config = testConfig(tmp.dir, redact, true);
      const run = await startIngestor(config);
      try {
        await run.ingestor.backfill();
      } finally {
        await run.stop();
      }
      const appended = line('s1', 'c');
      appendFileSync(file, appended);
      const env = {
        ...redact,
        NATS_URL: config.natsServers[0],
        CCPULSE_USER: config.user,
        CCPULSE_HOST: config.host,
        CCPULSE_STREAM: config.stream,
        CCPULSE_OFFSETS_BUCKET: config.offsetsBucket,
        CCPULSE_SUBJECT_PREFIX: config.subjectPrefix,
        CLAUDE_CONFIG_DIR: tmp.dir,
      };
      try {
        const out = await status(env);
        expect(out).toMatch(/^files +1 tracked$/m);
        expect(out).toMatch(new RegExp(`^behind +${Buffer.byteLength(appended)} bytes not yet acknowledged$`, 'm'));
      } finally {
        const nc = await connect({ servers: config.natsServers });
        await deleteNames(nc, config);
        await nc.close();
        tmp.remove();
      }
    },
  );
});
