/**
 * Human-readable child logs for `ccpulse start` on a terminal: the children write pino JSON to a
 * pipe, and each line after its `name | ` prefix goes through the apps' own formatter
 * (libs/runtime). JSON stays as it is when not on a TTY or with LOG_FORMAT=json.
 */
import { prettyJsonLine, wantsPrettyLogs } from '@ccpulse/runtime';
import type { LogSink } from './child.process';

export { wantsPrettyLogs };

/** `line` after the child's name prefix (`api        | {...}`), or the whole line. */
export function prettyLogLine(line: string): string {
  const bar = line.indexOf('| ');
  if (bar < 0) return prettyJsonLine(line);
  return line.slice(0, bar + 2) + prettyJsonLine(line.slice(bar + 2));
}

export function prettySink(inner: LogSink): LogSink {
  return { out: (line) => inner.out(prettyLogLine(line)), err: (line) => inner.err(prettyLogLine(line)) };
}
