/**
 * The stable id of a line (`Nats-Msg-Id`): re-reading a file republishes the same ids, so the
 * stream's duplicate window and the aggregator's natural keys drop repeats.
 */
export function entryId(args: {
  user: string;
  sessionId?: string;
  uuid?: string;
  file: string;
  offset: number;
}): string {
  if (args.uuid) return headerSafe(`${args.user}:${args.sessionId ?? '_'}:${args.uuid}`);
  return headerSafe(`${args.user}:${args.file}:${args.offset}`);
}

/**
 * The id of a v2 message (`Nats-Msg-Id`): `<user>:<file>:<start>-<end>:<tag>`. Never the start
 * alone: after a crash the ingestor may cut a longer run from the same start, and an id of the
 * start alone would let the stream's dedupe drop the run's new lines. `tag` fingerprints the
 * run's last line: a file truncated or replaced and rewritten within the duplicate window may
 * produce the same range again with other lines, which must not be dropped as a repeat.
 */
export function runId(user: string, file: string, start: number, end: number, tag: string): string {
  return headerSafe(`${user}:${file}:${start}-${end}:${tag}`);
}

/**
 * A header value cannot hold CR or LF (NATS refuses the message), and a transcript's uuid or
 * file name may contain any character: control characters are written as `%XX`, so such a line
 * is still published under an id that is the same on every read.
 */
export function headerSafe(id: string): string {
  return id.replace(CONTROL_CHARACTERS, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

const CONTROL_CHARACTERS = /[\x00-\x1f\x7f]/g;
