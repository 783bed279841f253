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
  if (args.uuid) return `${args.user}:${args.sessionId ?? '_'}:${args.uuid}`;
  return `${args.user}:${args.file}:${args.offset}`;
}
