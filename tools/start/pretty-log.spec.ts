import { prettyLogLine } from './pretty-log';

describe('prettyLogLine', () => {
  const time = new Date(2026, 11, 5, 10, 31, 2).getTime();
  it('formats the pino line after the child name prefix', () => {
    const line = `ingestor   | {"level":30,"time":${time},"pid":7,"hostname":"vm","name":"ccpulse-ingest","files":3,"msg":"backfill started"}`;
    expect(prettyLogLine(line)).toBe('ingestor   | 10:31:02 INFO  backfill started  files=3');
  });
  it('formats a line without a prefix, and leaves other lines alone', () => {
    expect(prettyLogLine(`{"level":50,"time":${time},"msg":"boom","code":"X"}`)).toBe('10:31:02 ERROR boom  code=X');
    expect(prettyLogLine('migrate    | migrate: applied 1')).toBe('migrate    | migrate: applied 1');
    expect(prettyLogLine('api        | {"level":30, broken')).toBe('api        | {"level":30, broken');
  });
});
