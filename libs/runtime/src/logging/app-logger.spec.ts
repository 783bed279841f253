/**
 * The apps' logger writes to a real file descriptor (a temp file here): JSON unless it is told
 * the descriptor is a terminal, and then the readable form, unless LOG_FORMAT=json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppLogger, logLevelOf, LogSettingError } from './app-logger';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-logger-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Logs one line through a logger on a fresh file and returns what was written. */
function logged(name: string, options: { env?: Record<string, string>; isTTY: boolean }): string {
  const file = path.join(dir, name);
  const fd = fs.openSync(file, 'w');
  try {
    // fd is any descriptor to pino; the type only names the usual two.
    const log = createAppLogger({ fd: fd as 1, pino: { name: 'ccpulse-test', redact: ['token'] }, ...options });
    log.info({ files: 3, token: 'secret' }, 'backfill started');
    log.debug('not at info');
  } finally {
    fs.closeSync(fd);
  }
  return fs.readFileSync(file, 'utf8');
}

it('writes pino JSON when not on a terminal', () => {
  const line = JSON.parse(logged('json', { env: {}, isTTY: false }).trim());
  expect(line).toMatchObject({ level: 30, name: 'ccpulse-test', files: 3, token: '[Redacted]', msg: 'backfill started' });
});

it('writes readable lines on a terminal, with the same redaction and level', () => {
  const out = logged('pretty', { env: {}, isTTY: true });
  expect(out).toMatch(/^\d\d:\d\d:\d\d INFO  backfill started {2}files=3 token=\[Redacted\]\n$/);
});

it('LOG_FORMAT=json keeps JSON on a terminal; LOG_LEVEL sets the level', () => {
  expect(JSON.parse(logged('forced', { env: { LOG_FORMAT: 'json' }, isTTY: true }).trim()).msg).toBe('backfill started');
  expect(logged('debug', { env: { LOG_LEVEL: 'debug' }, isTTY: true })).toMatch(/DEBUG not at info/);
});

it('an unknown LOG_LEVEL is a setting error naming LOG_LEVEL; a known one in any case is taken', () => {
  expect(() => logged('bad-level', { env: { LOG_LEVEL: 'verbose' }, isTTY: false })).toThrow(LogSettingError);
  expect(() => logLevelOf({ LOG_LEVEL: 'verbose' })).toThrow(/^LOG_LEVEL: unknown level 'verbose' \(known: trace, debug, info, warn, error, fatal, silent\)$/);
  expect(logLevelOf({ LOG_LEVEL: ' WARN ' })).toBe('warn');
  expect(logLevelOf({})).toBe('info');
});
