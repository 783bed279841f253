/**
 * A wrong LOG_LEVEL is a wrong setting like any other: each app stops at start with exit code 2
 * and a line naming LOG_LEVEL (not a stack trace and exit 1, which `ccpulse start` would take
 * for a crash and restart).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runApp } from './support/app-process';

jest.setTimeout(60_000);

describe('LOG_LEVEL', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-log-level-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['api', []],
    ['aggregate', []],
    ['ingest', ['--once', '--dir', dir]],
  ])('ccpulse %s exits 2 naming LOG_LEVEL when it is unknown', async (command, args) => {
    const app = runApp(command, args, { LOG_LEVEL: 'verbose', HOME: dir });
    expect(await app.exited).toBe(2);
    expect(app.output()).toMatch(/LOG_LEVEL: unknown level 'verbose'/);
    expect(app.output()).not.toMatch(/\n\s+at /);
  });
});
