import { prettyLogLine, wantsPrettyLogs } from './pretty-log';

describe('prettyLogLine', () => {
  const time = new Date(2026, 11, 5, 10, 31, 2).getTime();
  it('turns a prefixed pino line into time, level, message and the extra fields', () => {
    const line = `ingestor   | {"level":30,"time":${time},"pid":7,"hostname":"vm","name":"ccpulse-ingest","files":3,"roots":["/a b"],"msg":"backfill started"}`;
    expect(prettyLogLine(line)).toBe('ingestor   | 10:31:02 INFO  backfill started  files=3 roots=["/a b"]');
  });
  it('shows warnings and errors by name', () => {
    expect(prettyLogLine(`{"level":50,"time":${time},"msg":"boom","code":"X"}`)).toBe('10:31:02 ERROR boom  code=X');
  });
  it('leaves other lines alone', () => {
    expect(prettyLogLine('migrate    | migrate: applied 1')).toBe('migrate    | migrate: applied 1');
    expect(prettyLogLine('api        | {"level":30, broken')).toBe('api        | {"level":30, broken');
  });
});

it('pretty only on a TTY, and never with LOG_FORMAT=json', () => {
  expect(wantsPrettyLogs({}, true)).toBe(true);
  expect(wantsPrettyLogs({}, false)).toBe(false);
  expect(wantsPrettyLogs({ LOG_FORMAT: 'json' }, true)).toBe(false);
});
