/**
 * `ccpulse start` as a real process group: the supervisor runs from source, its children are the
 * stand-in apps of test-support/fake-ccpulse.js, and we signal it like a terminal or Docker would.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// The supervisor runs from source, as tests/stack/support/run-source.js runs every command.
const runSource = path.join(__dirname, '..', '..', 'tests', 'stack', 'support', 'run-source.js');
const fakeBin = path.join(__dirname, 'test-support', 'fake-ccpulse.js');

interface Started {
  pid: number;
  output: () => string;
  events: () => string[];
  waitFor: (pattern: RegExp, ms?: number) => Promise<void>;
  /** Until the log holds `event` at least `count` times (e.g. 'api ready'). */
  waitForEvent: (event: string, count?: number, ms?: number) => Promise<void>;
  exited: Promise<number | null>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startSupervisor(args: string[], env: Record<string, string>): Promise<Started> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-start-'));
  const log = path.join(dir, 'events.log');
  fs.writeFileSync(log, '');
  const port = await freePort();
  const child = spawn(process.execPath, [runSource, 'start', ...args], {
    env: { PATH: process.env.PATH ?? '', CCPULSE_BIN: fakeBin, FAKE_LOG: log, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    pid: child.pid!,
    output: () => out,
    events: () => fs.readFileSync(log, 'utf8').split('\n').filter(Boolean),
    exited,
    waitForEvent: async (event, count = 1, ms = 15_000) => {
      const deadline = Date.now() + ms;
      const seen = () => fs.readFileSync(log, 'utf8').split('\n').filter((l) => l === event).length;
      while (seen() < count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count}× '${event}'; output so far:\n${out}`);
        if (child.exitCode !== null) throw new Error(`supervisor exited (${child.exitCode}) before '${event}':\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    waitFor: async (pattern, ms = 15_000) => {
      const deadline = Date.now() + ms;
      while (!pattern.test(out)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far:\n${out}`);
        if (child.exitCode !== null) throw new Error(`supervisor exited (${child.exitCode}) before ${pattern}:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** Children are detached; make sure none outlives its test. */
function assertGone(pids: string): void {
  for (const pid of pids.match(/pid (\d+)/g) ?? []) {
    expect(() => process.kill(Number(pid.slice(4)), 0)).toThrow();
  }
}

describe('ccpulse start (supervisor process)', () => {
  it('given the three apps, when SIGTERM arrives, then they stop ingestor → aggregator → api, each drained, exit 0', async () => {
    const s = await startSupervisor([], {});
    await s.waitFor(/graphql +http:\/\/localhost:\d+\/graphql/);
    expect(s.output()).toMatch(/authentication DISABLED/);
    // Each child's output is relayed as it comes: on a busy host a line may follow the api's URLs.
    await s.waitFor(/^api +\| api says hello on stdout$/m);
    await s.waitFor(/^aggregator \| aggregator says hello on stderr$/m);
    expect(s.output()).toMatch(/^migrate +\| migrate says hello on stdout$/m);
    for (const app of ['aggregator', 'api', 'ingestor']) await s.waitForEvent(`${app} ready`);

    process.kill(s.pid, 'SIGTERM');
    expect(await s.exited).toBe(0);
    const ev = s.events();
    expect(ev[0]).toBe('migrate start');
    const stops = ev.filter((e) => /SIGTERM|drained/.test(e));
    expect(stops).toEqual([
      'ingestor SIGTERM', 'ingestor drained',
      'aggregator SIGTERM', 'aggregator drained',
      'api SIGTERM', 'api drained',
    ]);
    assertGone(s.output());
  });

  it('given Ctrl-C (SIGINT to the supervisor only), when it arrives, then children get SIGTERM and the group exits 0', async () => {
    const s = await startSupervisor(['--without', 'ingestor'], { CCPULSE_AUTH: 'token' });
    await s.waitFor(/api is ready/);
    expect(s.output()).not.toMatch(/DISABLED/);
    for (const app of ['aggregator', 'api']) await s.waitForEvent(`${app} ready`);
    process.kill(s.pid, 'SIGINT');
    expect(await s.exited).toBe(0);
    expect(s.events().filter((e) => e.endsWith('SIGTERM'))).toEqual(['aggregator SIGTERM', 'api SIGTERM']);
    expect(s.events()).not.toContain('ingestor start');
  });

  it('given failing migrations, when starting, then stops with their exit code and message and starts no app', async () => {
    const s = await startSupervisor([], { FAKE_MIGRATE_EXIT: '3' });
    expect(await s.exited).toBe(3);
    expect(s.output()).toMatch(/migrate +\| migrate: relation "x" cannot be created/);
    expect(s.output()).toMatch(/migrations failed \(exited with code 3\); not starting the apps/);
    expect(s.events()).toEqual(['migrate start']);
  });

  it('given NATS or PostgreSQL not answering, when starting, then says which and how to start it, and starts nothing', async () => {
    const closed = await freePort();
    const s = await startSupervisor([], { NATS_URL: `nats://127.0.0.1:${closed}`, DATABASE_URL: `postgres://me:secret@127.0.0.1:${closed}/ccpulse` });
    expect(await s.exited).toBe(1);
    expect(s.output()).toMatch(new RegExp(`NATS does not answer at 127\\.0\\.0\\.1:${closed} \\(NATS_URL\\): start it with JetStream`));
    expect(s.output()).toMatch(new RegExp(`PostgreSQL does not answer at 127\\.0\\.0\\.1:${closed} \\(DATABASE_URL\\)`));
    expect(s.output()).toMatch(/--embedded/);
    expect(s.output()).not.toContain('secret');
    expect(s.output()).not.toMatch(/restart #|\n\s+at /);
    expect(s.events()).toEqual([]);
  });

  it('given an app that crashes twice, when supervised, then it is restarted with growing backoff', async () => {
    const s = await startSupervisor(['--without', 'ingestor'], { FAKE_CRASH_AGGREGATOR: '2' });
    await s.waitFor(/aggregator exited with code 1; restart #2 in 1000 ms/);
    await s.waitFor(/started aggregator[^\n]*\n(?:[\s\S]*)started aggregator[^\n]*\n(?:[\s\S]*)started aggregator/);
    expect(s.output()).toMatch(/restart #1 in 500 ms/);
    await s.waitForEvent('aggregator ready');
    await s.waitForEvent('api ready');
    process.kill(s.pid, 'SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.events().filter((e) => e === 'aggregator start')).toHaveLength(3);
    expect(s.events()).toContain('aggregator drained');
  });

  it('given a newer processor version going live, when the aggregator steps down, then the installed one is started once and the group keeps running', async () => {
    const s = await startSupervisor(['--without', 'ingestor'], { FAKE_OUTDATED_AGGREGATOR: '1' });
    await s.waitFor(/aggregator exited with code 3 \(outdated\); a newer processor version went live; starting the installed aggregator/);
    await s.waitForEvent('aggregator ready', 2);
    await s.waitForEvent('api ready');
    await new Promise((r) => setTimeout(r, 500));
    expect(s.output()).not.toMatch(/giving up|stopping the others/);
    process.kill(s.pid, 'SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.events().filter((e) => e === 'aggregator start')).toHaveLength(2);
    expect(s.events()).toContain('aggregator drained');
    expect(s.events()).toContain('api drained');
  });

  it('given a newer version running elsewhere, when the installed aggregator is outdated again, then it stays stopped and the api and ingestor keep running', async () => {
    const s = await startSupervisor([], { FAKE_OUTDATED_AGGREGATOR: '99' });
    await s.waitFor(/the installed aggregator is outdated too .*others keep running/);
    // Well past where six crash-restarts would have stopped the group.
    await new Promise((r) => setTimeout(r, 2000));
    expect(s.events().filter((e) => e === 'aggregator start')).toHaveLength(2);
    expect(s.output()).not.toMatch(/giving up|stopping the others/);
    for (const app of ['api', 'ingestor']) await s.waitForEvent(`${app} ready`);
    process.kill(s.pid, 'SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.events().filter((e) => /SIGTERM|drained/.test(e))).toEqual(['ingestor SIGTERM', 'ingestor drained', 'api SIGTERM', 'api drained']);
    assertGone(s.output());
  });

  it('given an app failing with a configuration error, when supervised, then the others are stopped and start exits 1', async () => {
    const s = await startSupervisor([], { FAKE_CRASH_INGESTOR: '99', FAKE_CRASH_CODE: '2' });
    expect(await s.exited).toBe(1);
    expect(s.output()).toMatch(/ingestor exited with code 2 \(configuration error\); not restarting; stopping the others/);
    expect(s.events().filter((e) => e === 'ingestor start')).toHaveLength(1);
    expect(s.output()).toMatch(/start without it: ccpulse start --without ingestor/);
    // The others may still be booting (a SIGTERM then ends them outright), but both are stopped.
    expect(s.output()).toMatch(/stopping aggregator \(SIGTERM\)[\s\S]*stopping api \(SIGTERM\)/);
    assertGone(s.output());
  });

  it('given an app that ignores SIGTERM, when stopping, then it is SIGKILLed after the grace period', async () => {
    const s = await startSupervisor(['--without', 'ingestor,aggregator', '--grace-ms', '400'], { FAKE_IGNORE_TERM_API: '1' });
    await s.waitFor(/api is ready/);
    await s.waitForEvent('api ready');
    const t0 = Date.now();
    process.kill(s.pid, 'SIGTERM');
    expect(await s.exited).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(s.output()).toMatch(/api did not stop within 400 ms; sending SIGKILL/);
    expect(s.events()).not.toContain('api drained');
    assertGone(s.output());
  });
});
