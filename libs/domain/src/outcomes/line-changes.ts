/** Lines a change added and removed. */
export interface LineChange {
  added: number;
  removed: number;
}

/** Lines of a text as an editor counts them: a trailing newline does not start another line. */
export function linesOf(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Past this many lines in the differing middle, every middle line counts as changed. */
const MAX_DIFF_CELLS = 250_000;

/**
 * Lines added and removed going from `before` to `after`: the common first and last lines are
 * dropped, then a longest common subsequence of what is left stays (a line diff, as `git diff
 * --stat` counts). For very large middles the LCS is skipped and every middle line counts.
 */
export function lineDiff(before: string, after: string): LineChange {
  const a = linesOf(before);
  const b = linesOf(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  if (n === 0 || m === 0 || n * m > MAX_DIFF_CELLS) return { added: m, removed: n };
  const common = lcsLength(a.slice(start, endA), b.slice(start, endB));
  return { added: m - common, removed: n - common };
}

/** Length of a longest common subsequence, in O(n·m) time and O(m) memory. */
function lcsLength(a: string[], b: string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * Lines of a unified-diff `structuredPatch` (Edit, MultiEdit and Write results): `+` lines added,
 * `-` lines removed. Undefined when there is no patch or it has no hunk, so the caller falls back
 * to the tool's input.
 */
export function patchChange(patch: unknown): LineChange | undefined {
  if (!Array.isArray(patch) || patch.length === 0) return undefined;
  let added = 0;
  let removed = 0;
  let hunks = 0;
  for (const hunk of patch) {
    if (hunk === null || typeof hunk !== 'object' || !Array.isArray((hunk as { lines?: unknown }).lines)) continue;
    hunks++;
    for (const line of (hunk as { lines: unknown[] }).lines) {
      if (typeof line !== 'string') continue;
      if (line[0] === '+') added++;
      else if (line[0] === '-') removed++;
    }
  }
  return hunks > 0 ? { added, removed } : undefined;
}
