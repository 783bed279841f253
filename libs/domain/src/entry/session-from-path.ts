/**
 * The session a file belongs to, from its path alone (so it works line by line in a stream):
 * `…/<sessionId>.jsonl`, or `…/<sessionId>/subagents/<agent>.jsonl`.
 */
export function sessionIdFromPath(file: string): string | undefined {
  const parts = file.split(/[\\/]+/).filter(Boolean);
  const name = parts.at(-1);
  if (!name || !name.endsWith('.jsonl')) return undefined;
  if (parts.length >= 3 && parts.at(-2) === 'subagents') return parts.at(-3);
  return name.slice(0, -'.jsonl'.length);
}
