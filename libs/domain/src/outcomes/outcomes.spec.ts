/**
 * Outcome metrics on real-shaped lines: an assistant line with a tool_use, then the user line
 * with its tool_result (and the top-level toolUseResult Claude Code writes next to it), folded by
 * the same reducer as the aggregator and the report.
 */
import { toEntry } from '../entry/to-entry';
import { evolveSession, initialSessionState, type SessionState } from '../session/session-state';
import { sessionHours } from '../session/session-hours';
import { lineDiff, linesOf, patchChange } from './line-changes';
import { mergeOutcomes, zeroOutcomes, type OutcomeCounts } from './outcome-counts';
import { inputLineChange, vcsActionsIn } from './tool-input-facts';

const SESSION = '3f2c1a9e-7b1d-4c55-9a0e-2d6f1b8c4e21';
let n = 0;

function use(name: string, input: Record<string, unknown>, at = '2026-03-02T09:15:04.120Z', model = 'claude-sonnet-4-5-20250929') {
  const id = `toolu_01${String(++n).padStart(20, 'A')}`;
  const line = {
    parentUuid: `p-${n}`,
    isSidechain: false,
    userType: 'external',
    cwd: '/home/dev/shop',
    sessionId: SESSION,
    version: '2.0.31',
    gitBranch: 'main',
    type: 'assistant',
    message: {
      id: `msg_01${n}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'tool_use', id, name, input }],
      stop_reason: null,
      usage: { input_tokens: 4, cache_creation_input_tokens: 120, cache_read_input_tokens: 18000, output_tokens: 90, service_tier: 'standard' },
    },
    requestId: `req_011CU${n}`,
    uuid: `u-${n}-a`,
    timestamp: at,
  };
  return { id, line };
}

function result(id: string, content: string, opts: { isError?: boolean; toolUseResult?: unknown; at?: string } = {}) {
  return {
    parentUuid: `u-${n}-a`,
    isSidechain: false,
    userType: 'external',
    cwd: '/home/dev/shop',
    sessionId: SESSION,
    version: '2.0.31',
    gitBranch: 'main',
    type: 'user',
    message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content, ...(opts.isError !== undefined ? { is_error: opts.isError } : {}) }] },
    uuid: `u-${n}-r`,
    timestamp: opts.at ?? '2026-03-02T09:15:06.480Z',
    ...(opts.toolUseResult !== undefined ? { toolUseResult: opts.toolUseResult } : {}),
  };
}

function foldLines(lines: object[]): SessionState {
  const state = initialSessionState(SESSION);
  for (const l of lines) evolveSession(state, toEntry(JSON.parse(JSON.stringify(l))));
  return state;
}

function totals(state: SessionState): OutcomeCounts {
  return Object.values(state.outcomes).reduce((a, b) => mergeOutcomes(a, b), zeroOutcomes());
}

const REJECTED =
  "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.";

describe('line counting', () => {
  it('counts lines as an editor does and diffs them', () => {
    expect(linesOf('')).toEqual([]);
    expect(linesOf('a\nb\n')).toEqual(['a', 'b']);
    expect(lineDiff('a\nb\nc', 'a\nB\nc\nd')).toEqual({ added: 2, removed: 1 });
    expect(lineDiff('x', 'x')).toEqual({ added: 0, removed: 0 });
    expect(lineDiff('', 'one\ntwo')).toEqual({ added: 2, removed: 0 });
    // A line kept in the middle of a changed block is not counted (a longest common subsequence).
    expect(lineDiff('a\nkeep\nb', 'x\nkeep\ny\nz')).toEqual({ added: 3, removed: 2 });
  });

  it('counts every middle line past the diff size limit', () => {
    const block = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join('\n');
    expect(lineDiff(`${block('a', 600)}\nshared`, `${block('b', 600)}\nshared`)).toEqual({ added: 600, removed: 600 });
  });

  it('reads + and - lines of a structured patch; no hunk means no patch', () => {
    expect(patchChange([{ oldStart: 3, oldLines: 2, newStart: 3, newLines: 3, lines: [' keep', '-old', '+new', '+more'] }])).toEqual({ added: 2, removed: 1 });
    expect(patchChange([])).toBeUndefined();
    expect(patchChange('nope')).toBeUndefined();
  });

  it('reads the input of each edit tool', () => {
    expect(inputLineChange('Write', { file_path: '/x.ts', content: 'a\nb\nc\n' })).toEqual({ added: 3, removed: 0 });
    expect(inputLineChange('MultiEdit', { file_path: '/x', edits: [{ old_string: 'a', new_string: 'b' }, { old_string: 'c\nd', new_string: 'c' }] })).toEqual({ added: 1, removed: 2 });
    expect(inputLineChange('NotebookEdit', { notebook_path: '/n.ipynb', new_source: 'import os\nprint(1)', edit_mode: 'insert' })).toEqual({ added: 2, removed: 0 });
    expect(inputLineChange('NotebookEdit', { notebook_path: '/n.ipynb', new_source: '', edit_mode: 'delete' })).toEqual({ added: 0, removed: 0 });
    expect(inputLineChange('Read', { file_path: '/x' })).toBeUndefined();
  });
});

describe('commits and pull requests in a Bash command', () => {
  it.each([
    ['git commit -m "fix: tax rounding"', 1, 0],
    ['git add -A && git commit -m "$(cat <<\'EOF\'\nfeat: cart\n\ngit commit and gh pr create in a message are text\nEOF\n)"', 1, 0],
    ['git -C /home/dev/shop commit -am wip', 1, 0],
    ['cd api; GIT_AUTHOR_NAME=bot git commit --no-verify -m x && git push', 1, 0],
    ['git commit --amend --no-edit', 0, 0],
    ['git log --grep "git commit"', 0, 0],
    ['echo git commit', 0, 0],
    ['git push -u origin feat && gh pr create --title "Cart" --body "$(cat <<\'EOF\'\n## Summary\n- adds cart\nEOF\n)"', 0, 1],
    ['gh --repo acme/shop pr create --fill', 0, 1],
    ['gh pr view 12', 0, 0],
  ])('%s', (command, commits, pullRequests) => {
    expect(vcsActionsIn(command)).toEqual({ commits, pullRequests });
  });
});

describe('outcome metrics of joined uses and results', () => {
  it('an Edit counts its structured patch, and the slimmed entry keeps no text', () => {
    const { id, line } = use('Edit', { file_path: '/home/dev/shop/src/cart.ts', old_string: 'const total = 0;', new_string: 'let total = 0;\nlet tax = 0;' });
    const res = result(id, 'The file /home/dev/shop/src/cart.ts has been updated. Here\'s the result of running `cat -n`…', {
      toolUseResult: {
        filePath: '/home/dev/shop/src/cart.ts',
        oldString: 'const total = 0;',
        newString: 'let total = 0;\nlet tax = 0;',
        originalFile: 'export function sum() {\n  const total = 0;\n}\n',
        structuredPatch: [{ oldStart: 1, oldLines: 3, newStart: 1, newLines: 4, lines: [' export function sum() {', '-  const total = 0;', '+  let total = 0;', '+  let tax = 0;', ' }'] }],
        userModified: false,
        replaceAll: false,
      },
    });
    const entries = [toEntry(line), toEntry(res)];
    expect(JSON.stringify(entries)).not.toContain('total');
    const state = foldLines([line, res]);
    expect(totals(state)).toMatchObject({ linesAdded: 2, linesRemoved: 1, editsAccepted: 1, editsRejected: 0 });
    expect(totals(state).tools).toEqual({ Edit: { accepted: 1, rejected: 0 } });
  });

  it('without a patch an Edit counts the diff of its input', () => {
    const { id, line } = use('Edit', { file_path: '/a.py', old_string: 'x = 1\ny = 2', new_string: 'x = 1\ny = 3\nz = 4' });
    const state = foldLines([line, result(id, 'The file /a.py has been updated.')]);
    expect(totals(state)).toMatchObject({ linesAdded: 2, linesRemoved: 1 });
  });

  it('a Write that creates a file counts its lines as added; one that replaces a file counts its diff', () => {
    const created = use('Write', { file_path: '/home/dev/shop/README.md', content: '# Shop\n\nRun it.\n' });
    const createdResult = result(created.id, 'File created successfully at: /home/dev/shop/README.md', {
      toolUseResult: { type: 'create', filePath: '/home/dev/shop/README.md', content: '# Shop\n\nRun it.\n', structuredPatch: [] },
    });
    const replaced = use('Write', { file_path: '/home/dev/shop/a.txt', content: 'one\nTWO\nthree\n' });
    const replacedResult = result(replaced.id, 'The file /home/dev/shop/a.txt has been updated.', {
      toolUseResult: {
        type: 'update',
        filePath: '/home/dev/shop/a.txt',
        content: 'one\nTWO\nthree\n',
        originalFile: 'one\ntwo\nthree\n',
        structuredPatch: [{ oldStart: 1, oldLines: 3, newStart: 1, newLines: 3, lines: [' one', '-two', '+TWO', ' three'] }],
      },
    });
    const state = foldLines([created.line, createdResult, replaced.line, replacedResult]);
    expect(totals(state)).toMatchObject({ linesAdded: 3 + 1, linesRemoved: 1, editsAccepted: 2 });
  });

  it('a rejected edit counts as rejected, with no lines', () => {
    const { id, line } = use('MultiEdit', { file_path: '/b.go', edits: [{ old_string: 'a', new_string: 'b' }] });
    const state = foldLines([line, result(id, REJECTED, { isError: true, toolUseResult: 'User rejected tool use' })]);
    expect(totals(state)).toMatchObject({ linesAdded: 0, linesRemoved: 0, editsAccepted: 0, editsRejected: 1 });
    expect(totals(state).tools).toEqual({ MultiEdit: { accepted: 0, rejected: 1 } });
  });

  it('a failed edit is an accepted decision that changed nothing', () => {
    const { id, line } = use('Write', { file_path: '/c.ts', content: 'x\n' });
    const state = foldLines([line, result(id, '<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>', { isError: true, toolUseResult: 'Error: File has not been read yet. Read it first before writing to it.' })]);
    expect(totals(state)).toMatchObject({ linesAdded: 0, editsAccepted: 1, editsRejected: 0 });
  });

  it('a commit counts when its Bash result succeeded, not when it failed', () => {
    const ok = use('Bash', { command: 'git add -A && git commit -m "feat: cart"', description: 'Commit' });
    const okResult = result(ok.id, '[main 1a2b3c4] feat: cart\n 2 files changed, 10 insertions(+)', {
      isError: false,
      toolUseResult: { stdout: '[main 1a2b3c4] feat: cart', stderr: '', interrupted: false, isImage: false },
    });
    const failed = use('Bash', { command: 'git commit -m "wip"' });
    const failedResult = result(failed.id, 'Exit code 1\nnothing to commit, working tree clean', { isError: true, toolUseResult: 'Error: Exit code 1\nnothing to commit, working tree clean' });
    const pr = use('Bash', { command: 'gh pr create --title "Cart" --body "adds the cart"' });
    const prResult = result(pr.id, 'https://github.com/acme/shop/pull/42', { isError: false });
    const state = foldLines([ok.line, okResult, failed.line, failedResult, pr.line, prResult]);
    expect(totals(state)).toMatchObject({ commits: 1, pullRequests: 1, editsAccepted: 0 });
    expect(totals(state).tools).toEqual({ Bash: { accepted: 3, rejected: 0 } });
  });

  it('a rejected Bash use is a rejected decision for Bash', () => {
    const { id, line } = use('Bash', { command: 'git commit -m x' });
    const state = foldLines([line, result(id, `Error: ${REJECTED}`, { isError: true })]);
    expect(totals(state)).toMatchObject({ commits: 0, editsRejected: 0 });
    expect(totals(state).tools).toEqual({ Bash: { accepted: 0, rejected: 1 } });
  });

  it('the result may come first (another batch); the use without a result counts nothing yet', () => {
    const { id, line } = use('Write', { file_path: '/d.ts', content: 'a\nb\n' });
    const res = result(id, 'File created successfully at: /d.ts', { toolUseResult: { type: 'create', filePath: '/d.ts', content: 'a\nb\n', structuredPatch: [] } });
    expect(totals(foldLines([line]))).toMatchObject({ linesAdded: 0, editsAccepted: 0 });
    expect(totals(foldLines([res, line]))).toEqual(totals(foldLines([line, res])));
  });

  it('rows per hour and model: outcomes at the use, the session at its start under its primary model', () => {
    const a = use('Edit', { file_path: '/e', old_string: 'a', new_string: 'b' }, '2026-03-02T09:59:30.000Z', 'claude-opus-4-5-20251101');
    const b = use('Write', { file_path: '/f', content: 'x\ny\n' }, '2026-03-02T10:05:00.000Z', 'claude-haiku-4-5-20251001');
    const c = use('Read', { file_path: '/g' }, '2026-03-02T10:06:00.000Z', 'claude-opus-4-5-20251101');
    const prompt = { type: 'user', sessionId: SESSION, uuid: 'p1', timestamp: '2026-03-02T09:59:00.000Z', cwd: '/home/dev/shop', message: { role: 'user', content: 'add a cart' } };
    const state = foldLines([
      prompt,
      a.line,
      result(a.id, 'ok', { at: '2026-03-02T10:00:10.000Z' }),
      b.line,
      result(b.id, 'ok', { at: '2026-03-02T10:05:02.000Z' }),
      c.line,
      result(c.id, 'ok', { at: '2026-03-02T10:06:01.000Z' }),
    ]);
    const rows = sessionHours(state);
    const h9 = Date.parse('2026-03-02T09:00:00Z');
    const h10 = Date.parse('2026-03-02T10:00:00Z');
    expect(rows.map((r) => [r.hourMs, r.model, r.sessions, r.prompts, r.activeMs, r.outcomes.linesAdded, r.outcomes.editsAccepted])).toEqual([
      [h9, 'claude-opus-4-5-20251101', 1, 1, 60_000, 1, 1],
      [h10, 'claude-haiku-4-5-20251001', 0, 0, 0, 2, 1],
      [h10, 'claude-opus-4-5-20251101', 0, 0, 361_000, 0, 0],
    ]);
    const active = rows.reduce((s, r) => s + r.activeMs, 0);
    expect(active).toBe(state.activity.reduce((s, [x, y]) => s + y - x, 0));
  });
});
