import type { LineChange } from './line-changes';
import { lineDiff, linesOf } from './line-changes';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Tools whose uses change files: their lines and accept/reject decisions are counted. */
export const EDIT_TOOL_NAMES: ReadonlySet<string> = new Set(['Edit', 'MultiEdit', 'Write', 'NotebookEdit']);

/**
 * The lines a file-editing tool's input would change, used when its result carries no patch:
 * Edit diffs `old_string` → `new_string`; MultiEdit sums its edits; Write counts every line of
 * `content` as added (the previous file is not in the input); NotebookEdit counts `new_source`
 * as added (its `delete` mode removes a cell whose size the input does not say: 0). Undefined for
 * other tools.
 */
export function inputLineChange(name: string, input: unknown): LineChange | undefined {
  if (!EDIT_TOOL_NAMES.has(name)) return undefined;
  const i = isObject(input) ? input : {};
  switch (name) {
    case 'Edit':
      return lineDiff(text(i.old_string), text(i.new_string));
    case 'MultiEdit': {
      const sum = { added: 0, removed: 0 };
      for (const edit of Array.isArray(i.edits) ? i.edits : []) {
        if (!isObject(edit)) continue;
        const d = lineDiff(text(edit.old_string), text(edit.new_string));
        sum.added += d.added;
        sum.removed += d.removed;
      }
      return sum;
    }
    case 'Write':
      return { added: linesOf(text(i.content)).length, removed: 0 };
    default:
      return { added: i.edit_mode === 'delete' ? 0 : linesOf(text(i.new_source)).length, removed: 0 };
  }
}

/** Commits and pull requests a shell command creates. */
export interface VcsActions {
  commits: number;
  pullRequests: number;
}

const HEREDOC = /<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1[^\n]*\n[\s\S]*?\n\s*\2[ \t]*(?=\n|$)/g;
const QUOTED = /"(?:[^"\\]|\\.)*"|'[^']*'/g;
const SEPARATORS = /&&|\|\||[;|&\n()`{}]|\$\(/;
const ENV_PREFIX = /^(?:[A-Za-z_]\w*=\S*\s+)+/;
const WRAPPERS = /^(?:(?:sudo|command|exec|time|env|nohup)\s+)+/;
/** `git`, its global options (`-C dir`, `-c k=v`, `--no-pager`, …), then the subcommand. */
const GIT_COMMIT = /^git(?:\s+(?:-[Cc]\s+\S+|--[\w-]+(?:=\S+)?|-\w+))*\s+commit(?:\s|$)/;
const GH_PR_CREATE = /^gh(?:\s+(?:-R\s+\S+|--repo(?:=|\s+)\S+|--[\w-]+(?:=\S+)?))*\s+pr\s+create(?:\s|$)/;
const NOT_CREATING = /\s--(?:amend|dry-run)(?:\s|=|$)/;

/**
 * `git commit` and `gh pr create` runs in a Bash command, counted per simple command: heredoc
 * bodies and quoted strings are blanked first, so a commit message or PR body that mentions
 * `git commit` is not a second commit. `git commit --amend` and `--dry-run` create no new commit.
 */
export function vcsActionsIn(command: string): VcsActions {
  const plain = command.replace(HEREDOC, '\n').replace(QUOTED, '""');
  const out: VcsActions = { commits: 0, pullRequests: 0 };
  for (const part of plain.split(SEPARATORS)) {
    const cmd = part.trim().replace(ENV_PREFIX, '').replace(WRAPPERS, '');
    if (GIT_COMMIT.test(cmd) && !NOT_CREATING.test(cmd)) out.commits++;
    else if (GH_PR_CREATE.test(cmd)) out.pullRequests++;
  }
  return out;
}
