import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { pendingMigrations } from '../migrations/migrate-to-latest';
import { readProjectionState } from '../projection/projection-schema';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../../..');
const bin = path.join(root, 'bin/ccpulse.js');
const built = fs.existsSync(path.join(root, 'dist/libs/db/src/cli/migrate.command.js'));

jest.setTimeout(60_000);

async function ccpulse(url: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [bin, ...args], { env: { ...process.env, DATABASE_URL: url }, cwd: root });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

(built ? describe : describe.skip)('ccpulse migrate / attribution (built CLI, real PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    // start from an empty database: the CLI must do everything itself
    await sql`drop schema public cascade; create schema public`.execute(t.db);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('two concurrent `ccpulse migrate` processes both succeed and leave one migrated database with a live projection', async () => {
    const [a, b] = await Promise.all([ccpulse(t.url, 'migrate'), ccpulse(t.url, 'migrate')]);
    expect([a.code, b.code, a.stderr + b.stderr]).toEqual([0, 0, '']);
    expect(`${a.stdout}${b.stdout}`).toMatch(/applied 20261126T1200-control-tables/);
    expect(`${a.stdout}${b.stdout}`).toMatch(/nothing to apply/);
    expect(await pendingMigrations(t.db)).toEqual([]);
    expect((await readProjectionState(t.db)).liveSchema).toMatch(/^usage_v\d+$/);
    expect((await ccpulse(t.url, 'migrate')).stdout).toMatch(/nothing to apply/);
  });

  it('an unreachable server is reported by host, never with the password', async () => {
    const r = await ccpulse('postgres://me:s3cret@127.0.0.1:1/db', 'migrate');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/127\.0\.0\.1:1\/db is unreachable/);
    expect(r.stderr).not.toContain('s3cret');
  });

  it('`attribution load` writes a valid catalog and writes nothing from a file with a bad row', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-attr-'));
    try {
      const good = path.join(dir, 'good.yaml');
      fs.writeFileSync(good, 'skills:\n  - { name: pdf, source: curated, ref_id: "1" }\nagents:\n  - { name: rev, source: flea }\n');
      const ok = await ccpulse(t.url, 'attribution', 'load', good);
      expect(ok).toMatchObject({ code: 0 });
      expect(ok.stdout).toMatch(/loaded 1 skills, 1 agents, 0 commands/);
      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, '{\n  "commands": [\n    {"name": "deploy", "source": "curated"},\n    {"name": "x", "source": "nope"}\n  ]\n}\n');
      const no = await ccpulse(t.url, 'attribution', 'load', bad);
      expect(no.code).toBe(1);
      expect(no.stderr).toContain('bad.json:4:');
      expect(await t.db.selectFrom('usage_attribution_commands').selectAll().execute()).toEqual([]);
      expect(await t.db.selectFrom('usage_attribution_skills').selectAll().execute()).toEqual([{ name: 'pdf', source: 'curated', ref_id: '1' }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

if (!built) console.warn("dist/ is missing: skipping the CLI tests (run 'npm run build')");
