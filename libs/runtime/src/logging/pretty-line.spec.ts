import { prettyJsonLine, wantsPrettyLogs } from './pretty-line';

describe('prettyJsonLine', () => {
  const time = new Date(2026, 11, 5, 10, 31, 2).getTime();
  it('turns a pino line into time, level, message and the extra fields', () => {
    const line = `{"level":30,"time":${time},"pid":7,"hostname":"vm","name":"ccpulse-ingest","files":3,"roots":["/a b"],"msg":"backfill started"}`;
    expect(prettyJsonLine(line)).toBe('10:31:02 INFO  backfill started  files=3 roots=["/a b"]');
  });
  it('shows warnings and errors by name', () => {
    expect(prettyJsonLine(`{"level":50,"time":${time},"msg":"boom","code":"X"}`)).toBe('10:31:02 ERROR boom  code=X');
  });
  it('leaves other lines alone', () => {
    expect(prettyJsonLine('migrate: applied 1')).toBe('migrate: applied 1');
    expect(prettyJsonLine('{"level":30, broken')).toBe('{"level":30, broken');
  });
});

it('pretty only on a TTY, and never with LOG_FORMAT=json', () => {
  expect(wantsPrettyLogs({}, true)).toBe(true);
  expect(wantsPrettyLogs({}, false)).toBe(false);
  expect(wantsPrettyLogs({ LOG_FORMAT: 'json' }, true)).toBe(false);
  expect(wantsPrettyLogs({ LOG_FORMAT: ' JSON ' }, true)).toBe(false);
});
